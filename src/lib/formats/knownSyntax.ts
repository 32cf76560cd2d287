/**
 * The union of what every prompt format declares (formatSyntax.ts): the call contexts and reasoning
 * markers the parser and the streaming preview always read, whichever format produced the answer.
 * Contexts with the same opening are merged (their closers and shapes united), so `<tool_call>`
 * holding JSON (Hermes, Qwen3, SmolLM2) or `<function=…>` XML (Qwen3.5) is one context.
 */
import type { CallBodyKind, CallContextSyntax, ReasoningMarkers } from './formatSyntax.ts';
import { promptFormats } from './index.ts';

function mergeContexts(all: readonly CallContextSyntax[]): CallContextSyntax[] {
  const byOpen = new Map<string, { close: Set<string>; bodies: Set<CallBodyKind> }>();
  for (const context of all) {
    const entry = byOpen.get(context.open) ?? { close: new Set<string>(), bodies: new Set<CallBodyKind>() };
    for (const c of context.close) entry.close.add(c);
    for (const b of context.bodies) entry.bodies.add(b);
    byOpen.set(context.open, entry);
  }
  // The fallback shape (json) goes last, so a sniffed shape is tried first.
  const order = (b: CallBodyKind) => (b === 'json' ? 1 : 0);
  return [...byOpen].map(([open, { close, bodies }]) => ({
    open,
    close: [...close],
    bodies: [...bodies].sort((a, b) => order(a) - order(b)),
  }));
}

function uniqueMarkers(all: readonly ReasoningMarkers[]): ReasoningMarkers[] {
  const seen = new Map<string, ReasoningMarkers>();
  for (const m of all) seen.set(`${m.open}\u0000${m.close}`, m);
  return [...seen.values()];
}

/** Every call context of every format, longest opening first (so a longer tag wins over its prefix). */
export const KNOWN_CALL_CONTEXTS: readonly CallContextSyntax[] = mergeContexts(
  promptFormats.flatMap((f) => f.syntax.calls),
).sort((a, b) => b.open.length - a.open.length);

/** Every reasoning marker pair of every format. */
export const KNOWN_REASONING: readonly ReasoningMarkers[] = uniqueMarkers(
  promptFormats.flatMap((f) => (f.syntax.reasoning ? [f.syntax.reasoning] : [])),
);

/** The context that opens with `open` (exactly), if any. */
export function contextFor(open: string): CallContextSyntax | undefined {
  return KNOWN_CALL_CONTEXTS.find((c) => c.open === open);
}
