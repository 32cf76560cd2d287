/**
 * What a failed model load tells the user, and the clean-up it needs, once for the app
 * (ui/state/engine.svelte.ts) and the widget (embed/embedChat.svelte.ts): the engine error's
 * sentence and advice (normalizeError.ts sorts web-llm's failures, errorWording.ts words them), and for a file that failed its integrity
 * hash the deletion of the model's cached files — web-llm checks after caching, so without it the
 * corrupt file would be read again on every load.
 */
import { modelIdOf, type Engine, type ModelSource } from './engine.ts';
import { normalizeError } from './normalizeError.ts';
import { hostOf, wordError } from './errorWording.ts';
import { findModel } from './catalog.ts';

export interface LoadFailure {
  name: string;
  message: string;
  /** What the user can do about it, when there is something to do. */
  advice?: string;
}

/** The host the source's files are downloaded from (its model URL's), when known. */
export function modelHostOf(source: ModelSource): string | undefined {
  if (source.kind === 'server') return hostOf(source.record.baseUrl);
  return hostOf(source.kind === 'custom' ? source.record.modelUrl : findModel(source.id)?.modelUrl);
}

/**
 * Words a load failure and deletes the model's cached files when one failed its integrity check.
 * @param where where the user can delete cached files by hand if the automatic deletion fails
 * @param online navigator.onLine when the load failed (a download failure then says "You are offline")
 */
export async function describeLoadFailure(
  e: unknown,
  engine: Pick<Engine, 'deleteCachedModel'>,
  source: ModelSource,
  where: string,
  online: boolean = typeof navigator === 'undefined' || navigator.onLine,
): Promise<LoadFailure> {
  const err = normalizeError(e, 'load', { modelId: modelIdOf(source) });
  const host = modelHostOf(source);
  const wording = wordError(err, { online, host });
  const failure: LoadFailure = { name: err.name, message: wording.message };
  if (wording.advice !== undefined) failure.advice = wording.advice;
  if (err.name === 'ModelIntegrityError') {
    const deleted = await engine.deleteCachedModel(source).then(
      () => true,
      () => false,
    );
    if (!deleted)
      failure.message = failure.message.replace('nothing was kept', `its cached files could not be deleted: ${where}`);
  }
  return failure;
}
