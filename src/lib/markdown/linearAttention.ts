/**
 * Emphasis and strong (`*a*`, `__b__`) resolved in time linear in the text, for micromark: the same
 * trees as micromark's own resolver, without its quadratic cost on dense emphasis.
 *
 * micromark's `resolveAllAttention` (micromark-core-commonmark, attention.js) walks back over every
 * event before each closing sequence to find its opener, and splices the whole event list once per
 * pair it matches. Its own comment calls it "a bottleneck for malicious stuff"; for an answer it is
 * the difference between a 16 KB paragraph of `*a* ` parsed in ~30 ms and in ~270 ms, and 48 KB of
 * `**a` took 2.6 s (one main-thread task, after the answer ends).
 *
 * This is the same matching (CommonMark's "process emphasis", as micromark does it), built as it
 * goes: the events so far are an output list, the openers still open a stack of places in it, and
 * a match replaces only the output from its opener on, so it costs the length of what it encloses.
 * A closer searches the stack down to the point where the last search of its kind (marker, whether
 * it can open, length mod 3) failed, as the spec's `openers_bottom`; that point only moves down
 * when the stack below it changes.
 *
 * It is given to micromark as a construct that tokenizes exactly as its attention does (the same
 * function), listed before it for `*` and `_`: so it is the one used, and its `resolveAll` runs
 * instead of the original's. Inside link labels and strikethrough, micromark still resolves with
 * the original (bounded by the label or span). tests/unit/lib/markdown/linearAttention.test.ts
 * compares the trees with micromark's own on random text.
 */
import { attention } from 'micromark-core-commonmark';
import { resolveAll } from 'micromark-util-resolve-all';
import type { Construct, Event, Extension, Point, Resolver, Token, TokenizeContext } from 'micromark-util-types';

const ASTERISK = 42;
const UNDERSCORE = 95;

const resolveAllAttentionLinear: Resolver = (events, context) => {
  const out: Event[] = [];
  /** Where each opener still open begins in `out` (its `enter`; its `exit` follows). */
  const openers: number[] = [];
  /** Per kind of closer (see `kindOf`): openers below this height of the stack cannot match it. */
  const bottom = new Int32Array(12);
  const inside = insideResolvers(context);

  for (let i = 0; i < events.length; i += 1) {
    const event = events[i] as Event;
    const token = event[1];
    if (event[0] !== 'enter' || token.type !== 'attentionSequence') {
      out.push(event);
      continue;
    }
    // A sequence's exit follows its enter: nothing is tokenized inside it.
    out.push(event, events[i + 1] as Event);
    i += 1;
    const marker = markerOf(token, context);
    while (token._close && length(token) > 0) {
      const at = findOpener(token, marker, out, openers, bottom, context);
      if (at === -1) {
        bottom[kindOf(token, marker)] = openers.length;
        break;
      }
      const { openerRemains, closerRemains } = match(out, openers, at, context, inside);
      // Openers above the matched one are inside the span now; the matched one stays if it has markers left.
      openers.length = openerRemains ? at + 1 : at;
      // Below `at` the stack is as it was; from `at` on it changed (the opener is shorter, or gone).
      for (let k = 0; k < bottom.length; k += 1) bottom[k] = Math.min(bottom[k] as number, at);
      if (!closerRemains) break;
    }
    if (token._open && length(token) > 0) openers.push(out.length - 2);
  }

  // What is left matched nothing: plain text.
  for (const [, token] of out) if (token.type === 'attentionSequence') token.type = 'data';
  // In place, as micromark's resolvers work: its caller may hold on to the list it passed
  // (subtokenize reads a text's events from the array it had before they were resolved).
  events.length = out.length;
  for (let i = 0; i < out.length; i += 1) events[i] = out[i] as Event;
  return events;
};

/**
 * The stack index of the nearest opener the closer `closer` can match (the same marker, and not
 * ruled out by the rule of three), searching down to its kind's bottom; -1 when there is none.
 */
function findOpener(
  closer: Token,
  marker: number,
  out: readonly Event[],
  openers: readonly number[],
  bottom: Int32Array,
  context: TokenizeContext,
): number {
  const closeLength = length(closer);
  const lowest = bottom[kindOf(closer, marker)] as number;
  for (let s = openers.length - 1; s >= lowest; s -= 1) {
    const opener = (out[openers[s] as number] as Event)[1];
    if (markerOf(opener, context) !== marker) continue;
    // A sequence that can both open and close pairs with another only if their lengths do not add
    // up to a multiple of three, unless both are (CommonMark's rule of three, as micromark has it).
    if ((opener._close || closer._open) && closeLength % 3 && !((length(opener) + closeLength) % 3)) continue;
    return s;
  }
  return -1;
}

/**
 * Pairs the opener at stack index `at` with the closer at the end of `out`, as micromark does:
 * replaces the output from the opener on with the emphasis or strong group, the events between the
 * two resolved as a span, and whatever markers the opener and the closer have left before and after
 * it. Returns which of the two have markers left (the closer's are then at the end of `out` again).
 */
function match(
  out: Event[],
  openers: readonly number[],
  at: number,
  context: TokenizeContext,
  inside: Resolve,
): { openerRemains: boolean; closerRemains: boolean } {
  const openAt = openers[at] as number;
  const opener = (out[openAt] as Event)[1];
  const closer = (out[out.length - 1] as Event)[1];
  const use = length(opener) > 1 && length(closer) > 1 ? 2 : 1;
  const strong = use > 1;

  const start = moved(opener.end, -use);
  const end = moved(closer.start, use);
  const openingSequence = token(strong ? 'strongSequence' : 'emphasisSequence', start, { ...opener.end });
  const closingSequence = token(strong ? 'strongSequence' : 'emphasisSequence', { ...closer.start }, end);
  const text = token(strong ? 'strongText' : 'emphasisText', { ...opener.end }, { ...closer.start });
  const group = token(strong ? 'strong' : 'emphasis', { ...openingSequence.start }, { ...closingSequence.end });
  opener.end = { ...openingSequence.start };
  closer.start = { ...closingSequence.end };

  const between = inside(out.slice(openAt + 2, out.length - 2));
  const closerEvents = out.slice(-2);
  const openerRemains = length(opener) > 0;
  out.length = openerRemains ? openAt + 2 : openAt;
  out.push(
    ['enter', group, context],
    ['enter', openingSequence, context],
    ['exit', openingSequence, context],
    ['enter', text, context],
  );
  for (const event of between) out.push(event);
  out.push(
    ['exit', text, context],
    ['enter', closingSequence, context],
    ['exit', closingSequence, context],
    ['exit', group, context],
  );
  const closerRemains = length(closer) > 0;
  if (closerRemains) out.push(...closerEvents);
  return { openerRemains, closerRemains };
}

type Resolve = (events: Event[]) => Event[];

/**
 * The events between a matched pair resolved as micromark resolves a span (its `insideSpan`
 * resolvers: attention, strikethrough, text), with this resolver in place of its attention one.
 * Attention has to run there again, as in micromark: a sequence that both opens and closes, tried
 * as a closer and then partly used as an opener, is tried again as a closer with its new length
 * (`_**a****b*_` makes `**a***` strong inside the emphasis). A run costs the length of the span, as
 * the other span resolvers do; so nested emphasis costs its length times its depth.
 */
function insideResolvers(context: TokenizeContext): Resolve {
  // By name: micromark's list holds its constructs whole, though typed as their resolvers only.
  const span = (context.parser.constructs.insideSpan.null ?? []).map((c) =>
    'name' in c && c.name === 'attention' ? linearAttention : c,
  );
  return (events) => resolveAll(span, events, context);
}

/** Which bottom a closer searches to: its marker, whether it can open too, and its length mod 3. */
function kindOf(closer: Token, marker: number): number {
  return (marker === ASTERISK ? 0 : 6) + (closer._open ? 3 : 0) + (length(closer) % 3);
}

function markerOf(token: Token, context: TokenizeContext): number {
  return context.sliceSerialize(token).charCodeAt(0);
}

function length(token: Token): number {
  return token.end.offset - token.start.offset;
}

/** A copy of `point` moved `by` characters along its line (as micromark's `movePoint`). */
function moved(point: Point, by: number): Point {
  return { ...point, column: point.column + by, offset: point.offset + by, _bufferIndex: point._bufferIndex + by };
}

function token(type: string, start: Point, end: Point): Token {
  return { type, start, end } as Token;
}

/** micromark's attention, resolved in linear time (see above). */
const linearAttention: Construct = {
  name: 'attention',
  tokenize: attention.tokenize,
  resolveAll: resolveAllAttentionLinear,
};

/** The syntax extension that puts it before micromark's own for `*` and `_`. */
export const linearAttentionExtension: Extension = {
  text: { [ASTERISK]: linearAttention, [UNDERSCORE]: linearAttention },
};
