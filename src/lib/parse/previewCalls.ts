/**
 * A live preview of the function calls in an answer that is still streaming, so the chat shows a
 * call card (name, then arguments filling in) instead of raw JSON while the model writes it.
 *
 * It reads the text so far in every shape parseToolCalls reads: `<tool_call>…`, `<|python_tag|>…`,
 * `[TOOL_CALLS] […`, `<function=name>{…`, ```json fences, bare `{"name"/"function": …}` objects and
 * arrays of them, and pythonic `f(a=1` / `[f(a=1), g(…` for registered names. Three rules:
 *
 * 1. A call leaves the prose as soon as its opening is recognisable: a tag, a `{` whose first key is
 *    a call key (name, function, tool_calls, function_call), a `[` before such an object, or a
 *    registered name before `(`. A fence that opens right before it goes with it.
 * 2. A trailing fragment that may still become an opening (`<tool_`, `{"na`, "```json\n", `[get_we`)
 *    is held back from the prose until the next delta decides it.
 * 3. Arguments only grow (partialJson.ts): a key appears once its value has started, strings show as
 *    far as they have streamed, numbers and literals once finished. A name shows once it is closed.
 *
 * A streamed object that turns out to be data (`{"name": "Alice", "age": …`) goes back to the prose.
 * This is a preview: parseToolCalls on the finished text is the truth, and the chat swaps it in.
 * One pass with a regex over the candidate positions; only call spans are parsed. Never throws.
 */
import type { FunctionSpec } from '../types/functionSpec.ts';
import type { FoundSpan } from './candidate.ts';
import { buildProse, ProseBuilder } from './buildProse.ts';
import { findCloser } from './findCalls.ts';
import { interpretValue, isObject } from './normalizeCall.ts';
import { partialObject, trimPartialJson } from './partialJson.ts';
import { isIdentifierStart } from './pythonicCalls.ts';
import {
  classify,
  countFences,
  fenceTail,
  skipSpace,
  trailingFence,
  withFenceBefore,
  type FenceCount,
  type Opening,
} from './previewOpenings.ts';
import { previewPythonicCall, previewPythonicList } from './previewPythonic.ts';
import { parseLooseJson } from './repairJson.ts';
import { scanBalanced } from './scanBalanced.ts';
import { BracketWatch } from './bracketWatch.ts';
import type { CallPreview, PreviewCall, PreviewContext, Region } from './previewTypes.ts';
import { KNOWN_REASONING } from '../formats/knownSyntax.ts';
import { splitReasoning } from '../text/splitReasoning.ts';
import { previewFunctionTags } from './bodies/previewFunctionTag.ts';
import { FUNCTION_TAG_OPEN } from './bodies/functionTagBody.ts';
import { startsGemmaCall } from './bodies/gemmaBody.ts';
import { previewGemmaCalls } from './bodies/previewGemma.ts';
import { mayStartMistralArgs, previewMistralArgs } from './bodies/previewMistralArgs.ts';

export type { CallPreview, PreviewCall, PreviewContext, Region } from './previewTypes.ts';

const CALL_KEYS = new Set([
  'function',
  'name',
  'type',
  'id',
  'arguments',
  'parameters',
  'args',
  'tool_calls',
  'function_call',
]);
/** First keys that only calls have (`name` is common in data too). */
const CALL_ONLY_KEY = /^[[{\s]*["']?(?:function|tool_calls|function_call)\b/;
const contexts = new WeakMap<readonly FunctionSpec[], PreviewContext>();

/** A region open to the end of the text is read again on every update while it is shorter than this. */
export const REREAD_MIN = 2048;
/** …and once longer, when the text has grown by this fraction of it since it was read, or it may have ended. */
export const REREAD_GROWTH = 1 / 16;

/**
 * @param partialText the answer streamed so far
 * @param functions the functions the model was offered (pythonic calls need their names)
 */
export function previewStreamingCalls(partialText: string, functions: FunctionSpec[], answerPrefix = ''): CallPreview {
  const text = answerPrefix + (typeof partialText === 'string' ? partialText : '');
  try {
    // Reasoning is never read for calls; it streams into its own section.
    const split = splitReasoning(text, KNOWN_REASONING, { partial: true });
    const result = previewAnswer(split.answer, contextOf(Array.isArray(functions) ? functions : []));
    return split.hasReasoning ? { ...result, reasoning: split.reasoning, thinking: split.thinking } : result;
  } catch {
    return { prose: text, calls: [] }; // a preview bug must not break the chat: show the raw text
  }
}

/** Where the preview loop stands: the state between two candidates, to resume from. */
export interface PreviewCheckpoint {
  pos: number;
  fenced: boolean;
  proseFrom: number;
  /** How many of the spans and calls lie before `pos` (the arrays are shared and cut back to these). */
  spans: number;
  calls: number;
}

/** The loop's arrays and its last checkpoint that more text cannot change. */
export interface PreviewRun {
  spans: FoundSpan[];
  calls: PreviewCall[];
  stable: PreviewCheckpoint;
  /** The prose joined so far, for a run that is resumed (a fresh run builds it in one go). */
  prose?: ProseBuilder;
  /** A long region that was open to the end of the text when last read (readIncrementally). */
  open?: OpenRead;
  /** From what length an open region is read again only now and then (REREAD_MIN; tests set others). */
  rereadMin?: number;
}

/** What reading a long open region gave, and how to tell from new text alone that it may have changed. */
interface OpenRead {
  start: number;
  kind: Opening['kind'];
  region: Region;
  /** The text's length when the region was read, and how far the new text has been looked at since. */
  readTo: number;
  checkedTo: number;
  /** From the value or the context's content: whether a value in it has closed since. */
  watch: BracketWatch;
  /** Tags whose arrival may end the region or change how it reads (a context's closing tags). */
  marks: readonly string[];
}

/** `incremental`: the run is resumed delta by delta (CallPreviewer); `rereadMin` as in readIncrementally. */
export function newRun(incremental = false, rereadMin = REREAD_MIN): PreviewRun {
  return {
    spans: [],
    calls: [],
    stable: { pos: 0, fenced: false, proseFrom: 0, spans: 0, calls: 0 },
    ...(incremental ? { prose: new ProseBuilder(), rereadMin } : {}),
  };
}

/**
 * The preview of `text`, resuming `run` from its stable checkpoint (a fresh run reads it all). The
 * text must extend the one the checkpoint was taken on. Every decision before a stable checkpoint
 * depends only on text already seen: a candidate found not to open a call, or a region that closed.
 * An open region, a held-back fragment or a tentative region ends the stable part.
 */
export function previewAnswer(
  text: string,
  ctx: PreviewContext,
  run: PreviewRun = newRun(),
  fences: FenceCount = countFences,
): CallPreview {
  const { spans, calls } = run;
  spans.length = run.stable.spans;
  calls.length = run.stable.calls;
  const candidates = ctx.names.size > 0 ? /[<[{]|[A-Za-z_][A-Za-z0-9_]*/g : /[<[{]/g;
  let hold = text.length;
  let { pos, fenced, proseFrom } = run.stable;
  let stable = true;
  let openToEnd = false;
  const settle = (): void => {
    // A decision that read up to the end of the text may change with the next piece.
    if (stable && pos + SETTLE_MARGIN < text.length)
      run.stable = { pos, fenced, proseFrom, spans: spans.length, calls: calls.length };
  };
  while (pos < text.length) {
    candidates.lastIndex = pos;
    const m = candidates.exec(text);
    if (!m) break;
    const at = m.index;
    const opening = classify(text, at, ctx);
    if (opening === 'no') {
      pos = at + Math.max(1, m[0].length);
      settle();
      continue;
    }
    if (opening === 'maybe') {
      hold = withFenceBefore(text, at, fences);
      break;
    }
    const region = run.prose ? readIncrementally(run, text, opening, ctx) : readRegion(text, opening, ctx);
    if (region === undefined) {
      pos = at + 1;
      settle();
      continue;
    }
    if ('prose' in region) {
      pos = region.prose;
      if (region.tentative === true) stable = false;
      settle();
      continue;
    }
    if (fenced && at !== skipSpace(text, pos)) fenced = false;
    const start: number = fenced ? at : withFenceBefore(text, at, fences);
    fenced ||= start < at;
    let end = region.end;
    let open = region.open;
    const tail = fenced && !open ? fenceTail(text, end) : undefined;
    if (tail) {
      ({ end, open } = tail);
      fenced = false;
    }
    spans.push({ start, end, items: [] });
    calls.push(...region.calls);
    if (open) {
      openToEnd = true;
      break;
    }
    pos = proseFrom = end;
    if (region.tentative === true) stable = false;
    settle();
  }
  if (hold === text.length && !openToEnd) hold = trailingFence(text, proseFrom, fences);
  const visible = text.slice(0, hold);
  return { prose: spans.length === 0 ? visible : proseOf(visible, run, fences), calls: calls.slice() };
}

function proseOf(visible: string, run: PreviewRun, fences: FenceCount): string {
  if (!run.prose) return buildProse(visible, run.spans, fences);
  // A span still to be found starts at or after the stable position, or at a fence opened right
  // before it (withFenceBefore: whitespace, then at most 40 characters).
  let settled = run.stable.pos;
  while (settled > 0 && /\s/.test(visible.charAt(settled - 1))) settled -= 1;
  settled = Math.min(settled - FENCE_REACH, visible.length);
  return run.prose.build(visible, run.spans, run.stable.spans, settled, fences);
}

/** How far before a call's opening a fence that goes with it may start (withFenceBefore's window, and then some). */
const FENCE_REACH = 48;

/**
 * A value handed back to the prose from `prose` on. `tentative`: it was read to the end of the text
 * while still open, so more text may still make it a call.
 */
interface ProseBack {
  prose: number;
  tentative?: boolean;
}

/** Characters a decision may have looked ahead (a tag's name, a fence) that must exist before it counts as final. */
const SETTLE_MARGIN = 128;

function readRegion(text: string, opening: Opening, ctx: PreviewContext): Region | ProseBack | undefined {
  switch (opening.kind) {
    case 'json':
      return readJson(text, opening.start, text.length, false, ctx, false);
    case 'pythonic':
      return previewPythonicCall(text, opening.start, text.length, ctx, 'prose');
    case 'pythonic_list':
      return previewPythonicList(text, opening.start, text.length, ctx);
    case 'function_tag':
      return previewFunctionTags(text, opening.start, text.length, ctx);
    case 'tag':
      return readTag(text, opening, ctx);
  }
}

/**
 * readRegion, for a run that is resumed delta by delta. A region open to the end of the text is read
 * whole on every update (its value is parsed again: the call's arguments grow), so a region that
 * never closes (`{"name": {"name": …` repeated, a call whose argument is pages long) made the stream
 * cost the square of its length. Once a region is REREAD_MIN long, it is read again only when the
 * new text may have ended it (a value in it closed or a fence began, BracketWatch; a closing tag
 * arrived) or it has grown by REREAD_GROWTH since it was last read; until then the last read stands,
 * its end moved to the end of the text. So the reads of one region add up to about 1/REREAD_GROWTH
 * times its length, and a long call's arguments show at most that fraction behind. What may end a
 * region is its value closing (for pythonic calls, their parentheses), a fence, its tags, and in a
 * call context or a pythonic call any character outside a value (`watchFor`); anything else that
 * changes how it reads (a number in a `<function=` parameter growing, data that turns out not to be
 * a call) shows at the next read. While the answer does not grow (a
 * reasoning section opened in it), the preview stays as last read.
 */
function readIncrementally(
  run: PreviewRun,
  text: string,
  opening: Opening,
  ctx: PreviewContext,
): Region | ProseBack | undefined {
  const last = run.open;
  if (last !== undefined && last.start === opening.start && last.kind === opening.kind && !mayHaveChanged(last, text))
    return { ...last.region, end: text.length };
  run.open = undefined;
  const region = readRegion(text, opening, ctx);
  if (
    region !== undefined &&
    !('prose' in region) &&
    region.open &&
    region.end === text.length &&
    text.length - opening.start >= (run.rereadMin ?? REREAD_MIN)
  ) {
    const { watch, marks } = watchFor(text, opening);
    watch.read(text);
    run.open = {
      start: opening.start,
      kind: opening.kind,
      region,
      readTo: text.length,
      checkedTo: text.length,
      watch,
      marks,
    };
  }
  return region;
}

/** `<function=` blocks: a block or a parameter that ends, or one that begins, changes the cards. */
const FUNCTION_TAG_MARKS = ['</function>', '</parameter>', '<parameter=', '<function='];

/** How to watch a long open region of this kind: its brackets, and the tags that may change it. */
function watchFor(text: string, opening: Opening): { watch: BracketWatch; marks: readonly string[] } {
  switch (opening.kind) {
    case 'json':
      return { watch: new BracketWatch(opening.start), marks: [] };
    case 'pythonic':
    case 'pythonic_list':
      return { watch: new BracketWatch(opening.start, { parens: true, outside: true }), marks: [] };
    case 'function_tag': {
      // After a block's `</function>` (and spaces), the next character decides: another block or the end.
      const between = /<\/function>\s*$/.test(text.slice(-256));
      const watch = between ? new BracketWatch(text.length, { outside: true }) : new BracketWatch(opening.contentStart);
      return { watch, marks: FUNCTION_TAG_MARKS };
    }
    case 'tag': {
      // JSON content as a bare value; any other (pythonic, Gemma, Mistral's `name[ARGS]{…}`) with
      // parentheses too. Between values, the next character decides whether the context goes on.
      const json = /[[{]/.test(text.charAt(skipSpace(text, opening.contentStart)));
      return {
        watch: new BracketWatch(opening.contentStart, { parens: !json, outside: true }),
        marks: opening.closers,
      };
    }
  }
}

function mayHaveChanged(last: OpenRead, text: string): boolean {
  if (text.length - last.readTo >= (last.readTo - last.start) * REREAD_GROWTH) return true;
  const from = last.checkedTo;
  last.checkedTo = text.length;
  if (last.marks.some((m) => text.indexOf(m, Math.max(last.start, from - m.length + 1)) !== -1)) return true;
  return last.watch.read(text);
}

/**
 * A call context: everything up to the closing tag is meant as calls. Without a closing tag yet, it
 * stays open while only whitespace or the start of a closer follows its last call; other text ends it
 * there, as the parser ends a context that was never closed.
 */
function readTag(text: string, opening: Extract<Opening, { kind: 'tag' }>, ctx: PreviewContext): Region {
  const found = findCloser(text, opening.contentStart, opening.closers);
  // A closer that is also an opening (Mistral v13's repeated `[TOOL_CALLS]`) belongs to the next call.
  const closer =
    found && opening.reopens.includes(text.slice(found.at, found.end)) ? { at: found.at, end: found.at } : found;
  const limit = closer?.at ?? text.length;
  if (
    opening.bodies.includes('function-tag') &&
    text.startsWith(FUNCTION_TAG_OPEN, skipSpace(text, opening.contentStart, limit))
  ) {
    const tags = previewFunctionTags(text, skipSpace(text, opening.contentStart, limit), limit, ctx);
    if (closer) return { end: closer.end, calls: tags.calls, open: false };
    // As below: only whitespace or the start of the closer after the last block keeps the context open.
    const after = text.slice(tags.end).trimStart();
    if (!tags.open && opening.closers.some((c) => c.startsWith(after.slice(0, c.length))))
      return { ...tags, end: text.length, open: true };
    return { ...tags, tentative: true };
  }
  if (opening.bodies.includes('gemma') && startsGemmaCall(text, opening.contentStart, limit)) {
    // Gemma 4: one call per context, `call:name{…}`; the context stays open until its closer.
    return {
      end: closer?.end ?? text.length,
      calls: previewGemmaCalls(text, opening.contentStart, limit, closer !== undefined, ctx),
      open: !closer,
    };
  }
  const calls: PreviewCall[] = [];
  let i = opening.contentStart;
  let lastEnd = -1;
  for (;;) {
    i = skipSpace(text, i, limit);
    if (i >= limit) break;
    // The start of a closer still arriving (`[TOOL_` before Mistral's next call) is not a value.
    if (closer === undefined && opening.closers.some((cl) => cl.startsWith(text.slice(i)))) break;
    const c = text.charAt(i);
    const region =
      c === '{' || c === '['
        ? readJson(text, i, limit, closer !== undefined, ctx, true)
        : opening.bodies.includes('mistral-args') && mayStartMistralArgs(text, i, limit)
          ? previewMistralArgs(text, i, limit, closer !== undefined)
          : isIdentifierStart(text.charCodeAt(i))
            ? previewPythonicCall(text, i, limit, ctx, 'context')
            : undefined;
    if (region === undefined || 'prose' in region) break;
    calls.push(...region.calls);
    i = lastEnd = region.end;
    if (region.open) break;
  }
  if (closer) return { end: closer.end, calls, open: false };
  if (lastEnd === -1 && calls.length === 0) calls.push({ arguments: {}, complete: false });
  const rest = text.slice(Math.max(lastEnd, opening.contentStart)).trimStart();
  if (lastEnd === -1 || i >= limit || opening.closers.some((c) => c.startsWith(rest.slice(0, c.length)))) {
    return { end: text.length, calls, open: true };
  }
  return { end: lastEnd, calls, open: false, tentative: true };
}

/**
 * The JSON value at `start`. `bounded`: `limit` is a closing tag, so the value is finished there.
 * Outside a call context, a value that proves to be data is handed back to the prose.
 */
function readJson(
  text: string,
  start: number,
  limit: number,
  bounded: boolean,
  ctx: PreviewContext,
  inContext: boolean,
): Region | ProseBack {
  const span = scanBalanced(text, start, limit);
  // Stopped at a fence or a closing tag: the model is done with it, even if a bracket is missing.
  if (span.closed || span.end < limit || bounded) {
    const raw = text.slice(start, span.end);
    const parsed = parseLooseJson(raw);
    const items = parsed.ok ? interpretValue(parsed.value, raw, ctx.names, inContext) : undefined;
    if (parsed.ok && !items) return { prose: parsed.repaired ? start + 1 : span.end };
    const calls = (items ?? []).flatMap((item) =>
      item.kind === 'call' ? [toPreview(item.name, item.args, raw, true)] : [],
    );
    return { end: span.end, calls, open: false };
  }
  const raw = text.slice(start, limit);
  const parsed = parseLooseJson(trimPartialJson(raw));
  const value = parsed.ok ? parsed.value : undefined;
  if (inContext || interpretValue(value, raw, ctx.names, false) !== undefined) {
    return { end: limit, calls: partialCalls(value, raw, ctx), open: true };
  }
  if (isData(value)) return { prose: start + 1, tentative: true };
  // Undecided (`{"name": "Al…`): hidden, and a card only once the name is on its way to one of ours.
  return { end: limit, calls: likelyCall(value, raw, ctx) ? [{ arguments: {}, complete: false }] : [], open: true };
}

/** The calls in a value still being written; the last element of a list is the one still growing. */
function partialCalls(value: unknown, raw: string, ctx: PreviewContext): PreviewCall[] {
  const elements = Array.isArray(value) ? value : [value];
  const calls: PreviewCall[] = [];
  elements.forEach((element, i) => {
    const complete = i < elements.length - 1;
    const items = element === undefined ? undefined : interpretValue(element, raw, ctx.names, true);
    for (const item of items ?? [])
      if (item.kind === 'call') calls.push(toPreview(item.name, item.args, raw, complete));
  });
  // A call whose name has not arrived yet still gets its card.
  if (calls.every((c) => c.complete)) calls.push({ arguments: {}, complete: false });
  return calls;
}

function toPreview(name: string, args: unknown, raw: string, complete: boolean): PreviewCall {
  // A name still being written (`"get_wea`) is not shown: it would change under the user's eyes.
  const named = complete || raw.includes(`"${name}"`) || raw.includes(`'${name}'`);
  let argumentsSoFar: Record<string, unknown> = {};
  if (isObject(args)) argumentsSoFar = args;
  else if (typeof args === 'string' && args.trim() !== '') argumentsSoFar = partialObject(args, complete);
  return { ...(named && { name }), arguments: argumentsSoFar, complete };
}

/** A `function` key, an envelope, or a name that a registered name starts with. */
function likelyCall(value: unknown, raw: string, ctx: PreviewContext): boolean {
  if (CALL_ONLY_KEY.test(raw)) return true;
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (!isObject(first)) return false;
  if ('function' in first || 'tool_calls' in first || 'function_call' in first) return true;
  return typeof first.name === 'string' && first.name !== '' && ctx.isNamePrefix(first.name);
}

/** An object with a key no call has: JSON the user asked for, not a call. */
function isData(value: unknown): boolean {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return isObject(first) && Object.keys(first).some((k) => !CALL_KEYS.has(k));
}

export function contextOf(functions: readonly FunctionSpec[]): PreviewContext {
  const cached = contexts.get(functions);
  if (cached) return cached;
  const byName = new Map(functions.map((f) => [f.name, f]));
  const names = [...byName.keys()];
  const ctx: PreviewContext = {
    names: new Set(names),
    argumentOrder: (name) => Object.keys(byName.get(name)?.parameters.properties ?? {}),
    parameterType: (name, argument) => byName.get(name)?.parameters.properties?.[argument]?.type,
    isNamePrefix: (prefix) => names.some((n) => n.startsWith(prefix)),
  };
  contexts.set(functions, ctx);
  return ctx;
}
