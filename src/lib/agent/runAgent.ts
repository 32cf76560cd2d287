/**
 * The agent loop: one user message in, the assistant's answer (with any function calls it needed) out.
 *
 *   1. build the prompt with the chosen format (every enabled function listed)
 *   2. generate, streaming deltas
 *   3. parse the answer into calls (repair + validation happen in parseToolCalls)
 *   4. a call lacks required arguments → ask the user instead, stop ('ask_user'); nothing runs
 *   5. no valid calls → the answer is final ('answered'); parse errors are shown, never looped on
 *   6. run the calls, parallel ones concurrently, each with its own timeout; results go back in order
 *   7. append the assistant turn and one tool turn per call, and generate again (back to 1)
 *
 * Decisions:
 * - `toolChoice` applies to the first generation only. Later generations answer with the results and use
 *   'auto' (or stay 'none'): forcing 'required' there would make the model call forever.
 * - After `maxCalls` rounds of calls, one last generation runs with toolChoice 'none' so the model can
 *   answer with what it has. If it still writes calls, they are not run and the loop stops with
 *   'max_calls' (the assistant turn keeps the text, without calls).
 * - Prefix-stable prompts (issue 12 §6): each request extends the previous one (its prompt plus the
 *   answer) wherever the format allows, so web-llm can reuse its KV cache instead of reading the whole
 *   prompt again. So 'none' never changes the prompt: the function list stays, a grammar forbids
 *   opening a call where the engine can constrain, and calls written anyway are not dispatched — each
 *   becomes an error card saying it was not run (kind 'not_allowed'). Where a format cannot keep the prefix
 *   (a template that drops earlier reasoning…) tests/unit/lib/agent/prefixStable.test.ts says why.
 * - STYLE.md rule 8: when the token limit cut the answer, only calls complete before the cut run; the
 *   cut one is reported as an error (see completePrefix.ts).
 * - Failures are data: the promise never rejects. Engine errors end the run with reason 'error'.
 * - Given the context window (`context`), every prompt is fitted into it before it is sent: the oldest
 *   whole exchanges are left out of the prompt (never of the conversation), and a newest exchange that
 *   alone does not fit ends the run with a ContextOverflowError before anything is generated
 *   (fitContext.ts). Function results are cut to `maxResultChars` with a marker (limitResult.ts).
 */
import type { AgentEvent, AgentStopReason, PromptFitInfo, ToolChoice } from '../types/agent.ts';
import type { GenerateRequest, GenerateResult, TextGenerator } from '../types/generation.ts';
import type { ParseError, ParseResult, ToolCall } from '../types/toolCall.ts';
import type { ConfirmCall, DispatchResult } from '../types/dispatch.ts';
import type { Turn } from '../types/turn.ts';
import type { BuiltPrompt, PromptFormat } from '../formats/promptFormat.ts';
import type { FunctionRegistry } from '../dispatch/registry.ts';
import { dispatch } from '../dispatch/dispatch.ts';
import { askUserMessage } from './askUserMessage.ts';
import { parseAnswer } from './parseAnswer.ts';
import { prepareArgumentSchemas } from '../validate/argumentValidator.ts';
import { nextTask } from '../async/nextTask.ts';
import { contextOverflowMessage, fitContext, type ContextBudget } from './fitContext.ts';
import { limitResult } from './limitResult.ts';
import { sizeLimits } from './sizeLimits.ts';

export interface RunAgentOptions {
  generator: TextGenerator;
  format: PromptFormat;
  /** The enabled functions; `registry.specs()` is what the prompt lists. */
  registry: FunctionRegistry;
  /** The conversation so far, ending with the new user message. */
  turns: Turn[];
  system?: string;
  /** Default 'auto'. Applies to the first generation (see the module header). */
  toolChoice?: ToolChoice;
  /** Maximum rounds of calls per user message. Default 4. */
  maxCalls?: number;
  /** Per call. Default DEFAULT_CALL_TIMEOUT_MS (15 s). */
  callTimeoutMs?: number;
  /**
   * Asks the user before a function marked `confirm` runs; the loop waits for the answer. Without it
   * such calls are declined (dispatch enforces this), so a caller cannot skip the question.
   */
  confirmCall?: ConfirmCall;
  canConstrain?: boolean;
  /** Let the model reason first, where its format can switch that; undefined keeps the format's default. */
  thinking?: boolean;
  /** The engine can constrain raw prompts too (model loaded for raw prompts): see PromptContext. */
  canConstrainRaw?: boolean;
  generation?: { maxTokens?: number; temperature?: number };
  /**
   * The model's context window: each prompt is fitted into it (oldest whole exchanges left out, see
   * fitContext.ts). Without it prompts are sent whole.
   */
  context?: ContextBudget;
  /** Longest function result the model is given, in characters; default from the context window (sizeLimits.ts). */
  maxResultChars?: number;
  /** Abort → generator.interrupt(); the partial answer is kept as the assistant turn. */
  signal?: AbortSignal;
  /** Called for each event, in order. */
  onEvent?: (event: AgentEvent) => void;
  /**
   * Continue: the answer's text so far (the cut generation's raw output). The first generation writes
   * on from it: for a raw prompt (`api: 'completion'`) the text is appended after the answer's opening,
   * unconstrained (a grammar would restart at the beginning of the answer), and becomes part of the
   * answer prefix, so the parser reads the whole answer. A chat-API request cannot be prefilled (web-llm
   * requires the last message to be the user's or a tool's): the run then fails with a
   * ContinueUnsupportedError (the chat core does not offer Continue there).
   */
  continueFrom?: string;
}

export interface AgentOutcome {
  reason: AgentStopReason;
  /** The new turns this run appended (not the ones passed in). */
  turns: Turn[];
  error?: { name: string; message: string };
}

export const DEFAULT_MAX_CALLS = 4;
/** How long one function call may take before it fails as timed out; the one default for every caller of runAgent. */
export const DEFAULT_CALL_TIMEOUT_MS = 15_000;

/** Thrown inside generate's wrapper to carry the partial text of a failed generation. */
class GenerationFailure extends Error {
  override readonly name = 'GenerationFailure';
  constructor(
    override readonly cause: unknown,
    readonly partial: string,
  ) {
    super('The generation failed.', { cause });
  }
}

function errorInfo(err: unknown): { name: string; message: string } {
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

/** What the model sees for a call that failed: text it can act on. */
function toolContent(result: DispatchResult): string {
  if (result.ok) return result.json;
  // A declined call is a fact to answer with ("The user declined to run open_url."), not an error to retry.
  return result.error.kind === 'declined' ? result.error.message : `Error: ${result.error.message}`;
}

function withGeneration(request: GenerateRequest, generation: RunAgentOptions['generation']): GenerateRequest {
  const next = { ...request };
  if (generation?.maxTokens !== undefined) next.maxTokens = generation.maxTokens;
  if (generation?.temperature !== undefined) next.temperature = generation.temperature;
  return next;
}

/**
 * Runs the loop for one user message. Never rejects.
 * @returns why it stopped and the turns it appended (also delivered in the final 'done' event).
 */
export async function runAgent(options: RunAgentOptions): Promise<AgentOutcome> {
  const { generator, format, registry, signal } = options;
  const emit = (event: AgentEvent) => options.onEvent?.(event);
  const maxCalls = Math.max(0, options.maxCalls ?? DEFAULT_MAX_CALLS);
  const firstChoice = options.toolChoice ?? 'auto';
  const added: Turn[] = [];
  const interrupt = () => generator.interrupt();
  signal?.addEventListener('abort', interrupt);

  const finish = (reason: AgentStopReason, error?: { name: string; message: string }): AgentOutcome => {
    signal?.removeEventListener('abort', interrupt);
    const outcome: AgentOutcome = error ? { reason, turns: added, error } : { reason, turns: added };
    emit({ type: 'done', ...outcome });
    return outcome;
  };

  let rounds = 0;
  for (let step = 0; ; step++) {
    if (signal?.aborted) return finish('aborted');
    const final = rounds >= maxCalls;
    const toolChoice: ToolChoice = final || firstChoice === 'none' ? 'none' : step === 0 ? firstChoice : 'auto';

    let result: GenerateResult;
    let maxTokens: number | undefined;
    // The answer as the model sees it in the history: what the prompt opened, then what it wrote.
    let answerPrefix = '';
    try {
      const build = (turns: Turn[]) =>
        format.build({
          functions: registry.specs(),
          system: options.system,
          turns,
          toolChoice,
          canConstrain: options.canConstrain,
          ...(options.thinking !== undefined ? { thinking: options.thinking } : {}),
          canConstrainRaw: options.canConstrainRaw,
        });
      const turns = [...options.turns, ...added];
      let built: BuiltPrompt | null = null;
      let context: PromptFitInfo | undefined;
      if (options.context) {
        // The conversation passed in is never shortened; only this prompt leaves old exchanges out.
        const answerTokens = options.generation?.maxTokens;
        const fit = await fitContext({
          turns,
          build,
          budget: options.context,
          ...(answerTokens !== undefined ? { answerTokens } : {}),
        });
        if (!fit.ok) {
          return finish('error', {
            name: 'ContextOverflowError',
            message: contextOverflowMessage(fit, registry.specs().length, added.length > 0),
          });
        }
        built = fit.built;
        context = {
          windowTokens: fit.windowTokens,
          promptTokens: fit.promptTokens,
          droppedMessages: fit.droppedMessages,
          counted: fit.counted,
        };
      }
      built ??= build(turns);
      if (step === 0 && options.continueFrom !== undefined) {
        const resumed = resumeAnswer(built, options.continueFrom);
        if (!resumed) {
          return finish('error', {
            name: 'ContinueUnsupportedError',
            message: `The ${format.id} format cannot continue an answer: its prompt is rendered by the model's chat template.`,
          });
        }
        built = resumed;
      }
      const request = withGeneration(built.request, options.generation);
      maxTokens = request.maxTokens;
      emit({
        type: 'generation_start',
        step,
        formatId: format.id,
        request,
        constrained: built.constrained,
        constraintNote: built.constraintNote,
        ...(context ? { context } : {}),
        ...(built.answerPrefix ? { answerPrefix: built.answerPrefix } : {}),
      });
      if (step === 0) void prepareArgumentSchemas(registry.specs(), signal);
      answerPrefix = built.answerPrefix ?? '';
      result = await generate(generator, request, (delta, text) => emit({ type: 'delta', step, delta, text }));
    } catch (err) {
      const failure = err instanceof GenerationFailure ? err : new GenerationFailure(err, '');
      if (failure.partial) added.push({ role: 'assistant', content: answerPrefix + failure.partial });
      return finish('error', errorInfo(failure.cause));
    }
    emit({ type: 'generation_end', step, result });
    // Showing the finished answer, parsing it, and showing and running its calls each grow with the
    // answer: each gets a task of its own, so the page paints and takes input (Stop) between them.
    // As one task, a 16k-token answer with 200 calls took 60–90 ms (`npm run bench:stream`).
    await nextTask();

    const answer = answerPrefix + result.text;
    if (result.finishReason === 'abort' || signal?.aborted) {
      added.push({ role: 'assistant', content: answer });
      return finish('aborted');
    }

    const answered = parseAnswer(result.text, result.finishReason, registry.specs(), maxTokens, answerPrefix);
    const { cut } = answered;
    const parsed = toolChoice === 'none' ? withoutCalls(answered.parsed, final, maxCalls) : answered.parsed;
    // Shown in the task after the parse: 64 KB of call-shaped text took 35 ms to parse and 18 ms to
    // show on this machine, one 53 ms task together.
    await nextTask();
    emit({ type: 'parsed', step, parsed });
    await nextTask();

    const incomplete =
      toolChoice === 'none'
        ? undefined
        : parsed.errors.find((e) => e.kind === 'invalid_arguments' && e.missing?.length);
    if (incomplete?.missing) {
      const name = incomplete.name ?? 'this function';
      const message = askUserMessage(
        incomplete.name ? registry.get(incomplete.name)?.spec : undefined,
        name,
        incomplete.missing,
      );
      emit({ type: 'ask_user', step, name, missing: incomplete.missing, message });
      added.push({ role: 'assistant', content: message });
      return finish('ask_user');
    }

    if (parsed.calls.length === 0) {
      added.push({ role: 'assistant', content: answer });
      return finish(final && answered.parsed.calls.length > 0 ? 'max_calls' : 'answered');
    }

    const results = await runCalls(parsed.calls, step, options, emit);
    rounds++;
    added.push({ role: 'assistant', content: answer, calls: parsed.calls });
    parsed.calls.forEach((call, i) => {
      const r = results[i];
      if (r) added.push({ role: 'tool', name: call.name, content: toolContent(r) });
    });
    // Named errors beside valid calls go back too, so the model can correct the call it got wrong.
    added.push(...feedbackErrors(parsed.errors, cut));
    if (signal?.aborted) return finish('aborted');
  }
}

/**
 * A generation that may not call (tool_choice none, or the last one after the call limit): its calls
 * become error cards saying they were not run, and nothing is dispatched.
 */
function withoutCalls(parsed: ParseResult, callLimit: boolean, maxCalls: number): ParseResult {
  if (parsed.calls.length === 0) return parsed;
  const why = callLimit
    ? `the limit of ${maxCalls} chained call round${maxCalls === 1 ? '' : 's'} was reached, so this answer may not call functions`
    : 'function calls are switched off for this answer (tool_choice none)';
  const notRun = parsed.calls.map((call): ParseError => ({
    kind: 'not_allowed',
    name: call.name,
    message: `Not run: ${why}.`,
    raw: JSON.stringify({ name: call.name, arguments: call.arguments }),
  }));
  return { ...parsed, calls: [], errors: [...parsed.errors, ...notRun] };
}

/** The prompt with the cut answer written after its opening, so the model writes on from it; null for a chat request. */
function resumeAnswer(built: BuiltPrompt, text: string): BuiltPrompt | null {
  if (built.request.api !== 'completion') return null;
  const { responseFormat: _dropped, ...request } = built.request;
  return {
    request: { ...request, prompt: request.prompt + text },
    constrained: false,
    constraintNote: 'Continued answer: not constrained (a grammar would start over at the beginning of the answer).',
    answerPrefix: (built.answerPrefix ?? '') + text,
  };
}

/** Errors tied to a named function (and a cut call), as tool turns the model can act on. */
function feedbackErrors(errors: ParseError[], cut: ParseError | undefined): Turn[] {
  return errors
    .filter((e) => e === cut || (e.name !== undefined && e.kind !== 'malformed'))
    .map((e) => ({ role: 'tool', name: e.name ?? 'unknown', content: `Error: ${e.message}` }));
}

async function generate(
  generator: TextGenerator,
  request: GenerateRequest,
  onDelta: (delta: string, text: string) => void,
): Promise<GenerateResult> {
  let partial = '';
  try {
    return await generator.generate(request, (delta, text) => {
      partial = text;
      onDelta(delta, text);
    });
  } catch (err) {
    throw new GenerationFailure(err, partial);
  }
}

/** Starts every call at once (each with its own timeout); resolves with the results in call order. */
async function runCalls(
  calls: ToolCall[],
  step: number,
  options: RunAgentOptions,
  emit: (event: AgentEvent) => void,
): Promise<DispatchResult[]> {
  const signal = options.signal ?? new AbortController().signal;
  const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const started = calls.map((call) => {
    const callId = crypto.randomUUID();
    emit({ type: 'call_start', step, callId, call });
    return { call, callId };
  });
  return Promise.all(
    started.map(async ({ call, callId }) => {
      const confirm = options.confirmCall;
      const dispatched = await dispatch(call, options.registry, {
        signal,
        timeoutMs,
        callId,
        ...(confirm ? { confirm } : {}),
      }).catch(
        // dispatch promises never to reject; if it does anyway, the model still gets an error to act on.
        (err: unknown): DispatchResult => ({
          ok: false,
          error: { kind: 'thrown', message: errorInfo(err).message },
          ms: 0,
        }),
      );
      // Cut before anyone sees it: the card shows what the model is given (limitResult.ts).
      const result = limitResult(
        dispatched,
        options.maxResultChars ?? sizeLimits(options.context?.windowTokens).functionResultChars,
      );
      emit({ type: 'call_end', step, callId, call, result });
      return result;
    }),
  );
}
