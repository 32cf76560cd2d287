/**
 * What the app loads with `import()` the first time it is needed (a chunk, or a state built from
 * one): every caller gets the same promise, so it is fetched and built once; a failure is not kept
 * (a chunk missing after an update, or fetched offline before the service worker had it), so the
 * next caller tries again instead of failing for the rest of the session.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
