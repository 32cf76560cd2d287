/**
 * Runs one fast-check property for `npm test` with a fixed seed and a bounded number of runs, fails
 * the test with fast-check's report (counterexample, seed, path to replay it) if the property breaks,
 * and records how many inputs were tried for the README's reliability figures.
 */
import fc from 'fast-check';
import { recordReliability } from '../../reliability/record.ts';

export interface FuzzOptions {
  /** Fixed, so every run of `npm test` tries the same inputs and a failure can be replayed. */
  seed: number;
  numRuns: number;
}

export async function runFuzz<Ts>(
  target: string,
  property: fc.IRawProperty<Ts>,
  { seed, numRuns }: FuzzOptions,
): Promise<void> {
  const details = await fc.check(property, { seed, numRuns });
  if (details.failed) throw new Error(`${target}: ${fc.defaultReportMessage(details)}`);
  recordReliability({ kind: 'fuzz', target, inputs: details.numRuns, seed });
}
