/**
 * The URL rules of a custom model: which addresses a browser may download from, and where web-llm
 * reads the files of a weights folder.
 *
 * web-llm 0.2.86 cleanModelUrl adds "/" and then "resolve/main/" to the weights URL unless it already
 * contains "/resolve/<branch>/". Files are then read relative to that folder (mlc-chat-config.json,
 * tensor-cache.json, params_shard_*.bin, tokenizer files). So a folder served by your own host must
 * either live under ".../resolve/main/" or be given with "/resolve/<branch>/" in it.
 */

export const RESOLVE_HELP =
  'web-llm reads model files from "<weights URL>/resolve/main/" unless the URL already contains "/resolve/<branch>/". ' +
  'On your own server, put the files under a ".../resolve/main/" folder, or enter the URL of the folder including "/resolve/<branch>/".';

/** web-llm's cleanModelUrl, plus whether "resolve/main/" was appended. */
export function normalizeModelUrl(url: string): { url: string; appendedResolve: boolean } {
  let u = url.trim();
  u += u.endsWith('/') ? '' : '/';
  const appendedResolve = !/.+\/resolve\/.+\//.test(u);
  if (appendedResolve) u += 'resolve/main/';
  return { url: new URL(u).href, appendedResolve };
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why `raw` cannot be downloaded from, or undefined when it is an acceptable http(s) URL. */
export function urlProblem(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return 'Not a valid URL (expected https://… or http://localhost:PORT/…).';
  }
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:') {
    // Browsers block plain http from an https page, except for the local machine.
    return LOCAL_HOSTS.has(u.hostname)
      ? undefined
      : 'Use https:// (plain http:// only works for localhost / 127.0.0.1).';
  }
  return `Unsupported scheme "${u.protocol}"; use https:// (or http:// on localhost).`;
}

/** Why `raw` is not a model library URL (an acceptable URL of a .wasm file), or undefined. */
export function modelLibUrlProblem(raw: string): string | undefined {
  return urlProblem(raw) ?? (/\.wasm(\?.*)?$/.test(raw.trim()) ? undefined : 'The model library is a .wasm file.');
}
