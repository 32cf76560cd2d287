/**
 * Reads the calls inside one call context with the first declared body kind that recognises the
 * text (formats/formatSyntax.ts CallBodyKind). `json` — JSON calls or lists, and pythonic calls,
 * through scanRegion in call-context mode — is the fallback for anything no other kind claims.
 * Each kind's reader appends spans with their items and returns how many items it found.
 */
import type { CallBodyKind } from '../../formats/formatSyntax.ts';
import type { FoundSpan, ScanContext } from '../candidate.ts';
import { scanRegion } from '../scanRegion.ts';
import { readFunctionTags, startsFunctionTag } from './functionTagBody.ts';
import { readGemmaCalls, startsGemmaCall } from './gemmaBody.ts';
import { readMistralArgs, startsMistralArgs } from './mistralArgsBody.ts';

interface BodyReader {
  /** Whether this kind's text starts at `from`. */
  recognises(text: string, from: number, limit: number): boolean;
  read(text: string, from: number, limit: number, scan: ScanContext, spans: FoundSpan[]): number;
}

const READERS: Partial<Record<CallBodyKind, BodyReader>> = {
  'function-tag': { recognises: startsFunctionTag, read: readFunctionTags },
  gemma: { recognises: startsGemmaCall, read: readGemmaCalls },
  'mistral-args': { recognises: startsMistralArgs, read: readMistralArgs },
};

function readJson(text: string, from: number, limit: number, scan: ScanContext, spans: FoundSpan[]): number {
  return scanRegion(text, from, limit, limit, scan, true, spans).found;
}

export function readBody(
  kinds: readonly CallBodyKind[],
  text: string,
  from: number,
  limit: number,
  scan: ScanContext,
  spans: FoundSpan[],
): number {
  for (const kind of kinds) {
    const reader = READERS[kind];
    if (reader?.recognises(text, from, limit)) return reader.read(text, from, limit, scan, spans);
  }
  return readJson(text, from, limit, scan, spans);
}
