/**
 * What scanRegion remembers about one text across all its calls for one parse (findCalls makes one
 * per answer and passes it in the ScanContext), so that the retry at every `{` and `[` costs
 * amortised O(log n) instead of a fresh pass to the end of the text.
 */
import { BalancedCache } from './balancedCache.ts';
import { CallTextIndex } from './callTextIndex.ts';

/**
 * How many openers of one unclosed value may be repaired and turn out not to be calls. Every opener
 * inside an unclosed value is unclosed to the same end, so without a bound `{"x":{"x":…` with a
 * registered name inside would run jsonrepair to the end from each of them. The outermost few are
 * the ones that can hold a call (a model writes a call, not a call inside eight wrappers).
 */
export const REPAIRS_PER_UNCLOSED_VALUE = 8;

/**
 * Characters (per character of the text, plus a floor) that repairs which found no call may cost in
 * all: the backstop for nested closed values, each repaired and each not a call, whose repairs would
 * otherwise add up quadratically. Real answers stay far below it (one repair per call attempt).
 */
const REPAIR_BUDGET_PER_CHAR = 4;
const REPAIR_BUDGET_FLOOR = 100_000;

export class ScanMemo {
  readonly balanced: BalancedCache;
  private index: CallTextIndex | undefined;
  /** Unclosed end → how many repaired values ending there were not calls. */
  private readonly repairs = new Map<number, number>();
  private budget: number;

  constructor(
    readonly text: string,
    private readonly names: ReadonlySet<string>,
  ) {
    this.balanced = new BalancedCache(text);
    this.budget = REPAIR_BUDGET_FLOOR + REPAIR_BUDGET_PER_CHAR * text.length;
  }

  looksLikeCall(from: number, to: number): boolean {
    this.index ??= new CallTextIndex(this.text, this.names);
    return this.index.looksLikeCall(from, to);
  }

  /** Whether repairing the value ending at `end` is still worth trying. */
  mayRepair(end: number, closed: boolean): boolean {
    if (this.budget <= 0) return false;
    return closed || (this.repairs.get(end) ?? 0) < REPAIRS_PER_UNCLOSED_VALUE;
  }

  /** A repair of `length` characters found a value that is not a call: scanning resumes inside it. */
  repairedNotACall(end: number, closed: boolean, length: number): void {
    this.budget -= length;
    if (!closed) this.repairs.set(end, (this.repairs.get(end) ?? 0) + 1);
  }
}
