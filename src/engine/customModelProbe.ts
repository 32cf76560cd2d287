/**
 * The network probe of a custom model's weights folder: before a record is saved, the form asks that
 * mlc-chat-config.json answers with JSON and that tensor-cache.json (older builds: ndarray-cache.json)
 * answers, so a wrong URL is caught at the form rather than minutes into a download. The fetch is
 * injected (the form passes the browser's; tests a scripted one).
 */
import { errorMessage } from '../lib/errors.ts';

/**
 * What to check when the weights folder cannot be read. The browser hides why a cross-origin request
 * failed (a stopped server and a missing CORS header both end as "Failed to fetch"), so all three
 * usual causes are named, once; the field's own help already explains the …/resolve/main/ rule.
 */
export const UNREADABLE_ADVICE =
  'Check that the server is running, that it sends Access-Control-Allow-Origin (without it the browser hides every answer), ' +
  'and that the files are in the folder the URL names (…/resolve/main/).';

export type ProbeFetch = (url: string) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

async function reachable(
  fetchFn: ProbeFetch,
  url: string,
): Promise<{ ok: true; body: string } | { ok: false; why: string }> {
  try {
    const res = await fetchFn(url);
    if (!res.ok) return { ok: false, why: `HTTP ${res.status}` };
    return { ok: true, body: await res.text() };
  } catch (e) {
    return { ok: false, why: errorMessage(e) };
  }
}

/**
 * What is wrong with the weights folder at `modelUrl` (normalized, ending in "/resolve/<branch>/"),
 * as sentences for the form's weights URL field; empty when it looks like an MLC weights folder.
 */
export async function probeWeightsFolder(fetchFn: ProbeFetch, modelUrl: string): Promise<string[]> {
  const configUrl = new URL('mlc-chat-config.json', modelUrl).href;
  const config = await reachable(fetchFn, configUrl);
  if (!config.ok) return [`Could not read ${configUrl} (${config.why}). ${UNREADABLE_ADVICE}`];
  const problems: string[] = [];
  try {
    JSON.parse(config.body);
  } catch {
    problems.push('mlc-chat-config.json is not valid JSON: is this an MLC weights folder?');
  }
  const tensors = await reachable(fetchFn, new URL('tensor-cache.json', modelUrl).href);
  const legacy = tensors.ok ? tensors : await reachable(fetchFn, new URL('ndarray-cache.json', modelUrl).href);
  if (!legacy.ok)
    problems.push(
      'Found mlc-chat-config.json but neither tensor-cache.json nor ndarray-cache.json: the weights are missing.',
    );
  return problems;
}
