/**
 * micromark's own `combineExtensions`, remembered. micromark's `parse` merges its CommonMark
 * constructs with the syntax extensions it is given (GFM) on every call, though they never change:
 * for the short blocks an answer is parsed in (parseBlock.ts), that merge was most of the parse, and
 * about a quarter of the memory a streamed 16k-token Markdown answer allocated (a heap profile of
 * `bench:stream`). The build hands micromark this function in place of the original
 * (scripts/micromarkConstructsOnce.ts), so the same extension objects are merged once.
 *
 * Sharing the merged object between parses is safe because micromark only reads it: what a parse
 * learns about its document (definitions, lazy lines, footnotes) it keeps on its own parser object.
 */
import { combineExtensions as combine } from 'micromark-util-combine-extensions';

type Extensions = Parameters<typeof combine>[0];
type Combined = ReturnType<typeof combine>;

/** One step down the list of extensions: by the identity of the next one. */
interface Step {
  readonly next: WeakMap<object, Step>;
  combined?: Combined;
}

let first: Step | undefined;

/** `combine(extensions)`, the same object for lists of the same extension objects in the same order. */
export function combineExtensions(extensions: Extensions): Combined {
  let step = (first ??= { next: new WeakMap() });
  for (const extension of extensions) {
    let next = step.next.get(extension);
    if (next === undefined) {
      next = { next: new WeakMap() };
      step.next.set(extension, next);
    }
    step = next;
  }
  return (step.combined ??= combine(extensions));
}
