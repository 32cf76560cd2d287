// Test doubles for the agent loop: a scripted TextGenerator and a prompt format that records what it was asked to build.
import type { PromptContext, PromptFormat } from '../../../../src/lib/formats/promptFormat.ts';
import type { ToolCall } from '../../../../src/lib/types/toolCall.ts';
import type {
  FinishReason,
  GenerateRequest,
  GenerateResult,
  TextGenerator,
} from '../../../../src/lib/types/generation.ts';

export type ScriptedReply =
  | string
  | { text: string; finishReason?: FinishReason }
  /** The engine fails after streaming `partial`. */
  | { error: Error; partial?: string }
  /** Streams `first`, then waits for interrupt() and ends with 'abort'. */
  | { hangAfter: string };

export class ScriptedGenerator implements TextGenerator {
  readonly requests: GenerateRequest[] = [];
  #replies: ScriptedReply[];
  #interrupted: (() => void) | null = null;
  /** interrupt() may come while the text is streaming, before the wait below begins. */
  #interruptRequested = false;
  interrupts = 0;

  /** The last reply repeats when the script runs out. */
  constructor(replies: ScriptedReply[]) {
    this.#replies = replies;
  }

  async generate(request: GenerateRequest, onDelta?: (delta: string, text: string) => void): Promise<GenerateResult> {
    const reply = this.#replies[Math.min(this.requests.length, this.#replies.length - 1)] ?? '';
    this.requests.push(request);
    this.#interruptRequested = false;
    const stream = (full: string) => {
      let text = '';
      for (const piece of full.match(/\s*\S+|\s+/g) ?? []) {
        text += piece;
        onDelta?.(piece, text);
      }
      return text;
    };
    await Promise.resolve();
    if (typeof reply === 'string') return { text: stream(reply), finishReason: 'stop' };
    if ('error' in reply) {
      stream(reply.partial ?? '');
      throw reply.error;
    }
    if ('hangAfter' in reply) {
      const text = stream(reply.hangAfter);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- interrupt() sets it during the await
      if (!this.#interruptRequested) {
        await new Promise<void>((resolve) => {
          this.#interrupted = resolve;
        });
      }
      return { text, finishReason: 'abort' };
    }
    return { text: stream(reply.text), finishReason: reply.finishReason ?? 'stop' };
  }

  interrupt(): void {
    this.interrupts++;
    this.#interruptRequested = true;
    this.#interrupted?.();
    this.#interrupted = null;
  }
  finishingStopped(): boolean {
    return false;
  }
}

export class RecordingFormat implements PromptFormat {
  readonly id = 'generic' as const;
  readonly label = 'Test format';
  readonly description = 'Renders the context as JSON.';
  readonly source = 'tests';
  readonly api = 'completion' as const;
  readonly syntax = { calls: [], stop: [], bos: '' };
  readonly contexts: PromptContext[] = [];

  renderCalls(calls: ToolCall[]): string {
    return JSON.stringify(calls);
  }

  build(ctx: PromptContext) {
    this.contexts.push(structuredClone(ctx));
    return {
      request: { api: 'completion' as const, prompt: JSON.stringify(ctx.turns), maxTokens: 256 },
      constrained: false,
      constraintNote: 'not constrained in tests',
    };
  }
}
