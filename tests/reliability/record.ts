/**
 * Records what the hardening tests did, so `npm test` can print the reliability figures the README
 * quotes (scripts/reliabilityReport.mjs): how many inputs each fuzz property tried, which faults the
 * browser tests injected, and how much user data each fault lost.
 *
 * Both the unit tests (vitest) and the browser tests (Playwright) run in Node, so each record is one
 * small JSON file under reports/reliability/ (not test-results/, which Playwright empties when it starts); a file per record keeps parallel writers apart.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RELIABILITY_DIR = fileURLToPath(new URL('../../reports/reliability/', import.meta.url));

export interface FuzzRecord {
  kind: 'fuzz';
  /** What was fuzzed, e.g. "parseToolCalls on random strings". */
  target: string;
  /** Inputs actually generated and checked (fast-check's numRuns, or the count of a fixed corpus). */
  inputs: number;
  seed: number;
}

export interface FaultRecord {
  kind: 'fault';
  /** The fault injected, e.g. "GPU device lost during generation". */
  fault: string;
  /** Messages, conversations or settings the user lost to it; the test asserts this is 0. */
  dataLost: number;
}

export type ReliabilityRecord = FuzzRecord | FaultRecord;

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

export function recordReliability(record: ReliabilityRecord): void {
  mkdirSync(RELIABILITY_DIR, { recursive: true });
  const name = `${record.kind}-${slug(record.kind === 'fuzz' ? record.target : record.fault)}.json`;
  writeFileSync(`${RELIABILITY_DIR}${name}`, `${JSON.stringify(record)}\n`);
}
