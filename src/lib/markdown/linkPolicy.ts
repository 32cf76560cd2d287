/**
 * Which addresses in a model's answer become links. Only http(s): a `javascript:` or `data:` link
 * would run or show content the user never asked for, and a relative one would point into this app.
 * Everything else is shown as text. Images are never loaded (that would send a request the user did
 * not ask for, e.g. to a tracker whose address the model was led to write); they become links too.
 */

/** `url` as a link target when it is an absolute http(s) address, otherwise undefined. */
export function safeHref(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
}
