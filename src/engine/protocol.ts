/**
 * The one message protocol between the main thread (workerEngine.ts) and the engine worker
 * (worker.ts / workerHost.ts). Each `kind` fixes its payload, so neither side casts.
 *
 * - Every request carries an `id` (crypto.randomUUID) and gets exactly one reply with that id:
 *   `{ kind: 'result', request: <its kind>, … }` or `{ kind: 'error', error: {name, message, data} }`.
 *   The worker always replies, even when the handler throws.
 * - Load progress and generation deltas are their own kinds, tagged with the request id. A delta
 *   carries only its new text (the page adds the pieces up), at most one per frame (deltaBatcher.ts):
 *   sending the text so far each time copied the whole answer across the boundary per token.
 * - `deviceLost` is the only unsolicited message: the GPU went away after a load.
 */
import type { GenerateRequest, GenerateResult } from '../lib/types/generation.ts';
import type { CachedModelInfo, LoadProgress, LoadResult, ModelSource, TokenizeResult } from './engine.ts';
import type { SerializedError } from './errorWire.ts';

export type WorkerRequest =
  | { kind: 'load'; id: string; source: ModelSource }
  | { kind: 'generate'; id: string; request: GenerateRequest }
  /** Stop the generation with id `target` (or whichever is running when absent). */
  | { kind: 'interrupt'; id: string; target?: string }
  | { kind: 'unload'; id: string }
  | { kind: 'cacheStatus'; id: string; models: ModelSource[] }
  | { kind: 'cacheDelete'; id: string; model: ModelSource }
  | { kind: 'tokenize'; id: string; text: string };

export type RequestKind = WorkerRequest['kind'];

/** What each request resolves with. */
export interface ResultMap {
  load: LoadResult;
  generate: GenerateResult;
  interrupt: null;
  unload: null;
  cacheStatus: CachedModelInfo[];
  cacheDelete: null;
  tokenize: TokenizeResult;
}

export type ResultReply = {
  [K in RequestKind]: { kind: 'result'; id: string; request: K; result: ResultMap[K] };
}[RequestKind];

export type WorkerReply =
  | ResultReply
  | { kind: 'error'; id: string; error: SerializedError }
  | { kind: 'progress'; id: string; progress: LoadProgress }
  | { kind: 'delta'; id: string; delta: string }
  | { kind: 'deviceLost'; message: string };

/** A request's payload: everything but its kind and id. */
export type RequestBody<K extends RequestKind> = Omit<Extract<WorkerRequest, { kind: K }>, 'id' | 'kind'>;

export function resultReply<K extends RequestKind>(id: string, request: K, result: ResultMap[K]): ResultReply {
  // TypeScript cannot narrow a mapped union from a generic K; the object is built from matching parts.
  return { kind: 'result', id, request, result } as ResultReply;
}
