import { InvalidArgumentError } from '../functionErrors.ts';

/**
 * Accepts only http(s) URLs, the only kind a model may open. `javascript:` would run code in our
 * page, and `data:`, `blob:`, `file:` or `about:` pages can impersonate sites or reach local files.
 * A bare host ("example.com/page") gets https:// in front, as a browser address bar would.
 * @returns the normalized URL text.
 * @throws InvalidArgumentError saying why the URL is refused.
 */
export function safeHttpUrl(input: string): string {
  const text = input.trim();
  if (text === '') throw new InvalidArgumentError('url', 'The URL is empty.');
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^:/]+:\d+(?:[/?#]|$)/.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch (error) {
    throw new InvalidArgumentError('url', `"${text}" is not a valid URL.`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(
      'url',
      `Only http:// and https:// links can be opened, not "${url.protocol}" links.`,
    );
  }
  if (url.hostname === '') throw new InvalidArgumentError('url', `"${text}" has no host name.`);
  if (url.username !== '' || url.password !== '') {
    // user:password@host is a classic way to disguise where a link really goes.
    throw new InvalidArgumentError('url', 'Links with a user name or password in them are not opened.');
  }
  return url.href;
}
