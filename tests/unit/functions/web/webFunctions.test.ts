import { describe, expect, it } from 'vitest';
import { safeHttpUrl } from '../../../../src/functions/web/safeHttpUrl.ts';
import { arxivSearchUrl, bingSearchUrl } from '../../../../src/functions/web/searchUrls.ts';
import { createOpenUrl } from '../../../../src/functions/web/openUrl.ts';
import { createSearchBing } from '../../../../src/functions/web/searchBing.ts';
import { createSearchArxiv } from '../../../../src/functions/web/searchArxiv.ts';
import { BrowserFeatureError, InvalidArgumentError } from '../../../../src/functions/functionErrors.ts';
import { fakeBrowserApis, signal } from '../fakeBrowserApis.ts';

describe('safeHttpUrl', () => {
  it.each([
    ['https://example.com/a?b=1#c', 'https://example.com/a?b=1#c'],
    ['http://example.com', 'http://example.com/'],
    ['  HTTPS://Example.COM/x  ', 'https://example.com/x'],
    ['example.com/page', 'https://example.com/page'],
    ['localhost:8080/x', 'https://localhost:8080/x'],
  ])('accepts %j as %j', (input, expected) => {
    expect(safeHttpUrl(input)).toBe(expected);
  });

  it.each([
    ['javascript:alert(1)', 'not "javascript:" links'],
    ['JavaScript:alert(1)', 'not "javascript:" links'],
    ['data:text/html,<script>alert(1)</script>', 'not "data:" links'],
    ['file:///etc/passwd', 'not "file:" links'],
    ['blob:https://example.com/1', 'not "blob:" links'],
    ['about:blank', 'not "about:" links'],
    ['ftp://example.com', 'not "ftp:" links'],
    ['https://user:pw@example.com', 'user name or password'],
    ['', 'The URL is empty.'],
    ['http://', 'is not a valid URL'],
  ])('refuses %j', (input, message) => {
    expect(() => safeHttpUrl(input)).toThrow(InvalidArgumentError);
    expect(() => safeHttpUrl(input)).toThrow(message);
  });

  it('refuses javascript: hidden with control characters', () => {
    for (const input of ['java\tscript:alert(1)', 'java\nscript:alert(1)', '\u0000javascript:alert(1)']) {
      expect(() => safeHttpUrl(input), JSON.stringify(input)).toThrow(InvalidArgumentError);
    }
  });
});

describe('search URLs', () => {
  it('encodes the query for Bing', () => {
    expect(bingSearchUrl('latest news on AI & ML?')).toBe('https://www.bing.com/search?q=latest+news+on+AI+%26+ML%3F');
  });

  it('encodes the query for arXiv and searches all fields', () => {
    expect(arxivSearchUrl('"function calling" AND llama')).toBe(
      'https://arxiv.org/search/?query=%22function+calling%22+AND+llama&searchtype=all',
    );
  });
});

describe('open_url, search_bing, search_arxiv', () => {
  it('opens the checked URL and returns it', () => {
    const fake = fakeBrowserApis();
    expect(createOpenUrl(fake).handler({ url: 'example.com' }, { signal })).toEqual({ opened: 'https://example.com/' });
    expect(fake.opened).toEqual(['https://example.com/']);
  });

  it('never opens a refused URL', () => {
    const fake = fakeBrowserApis();
    expect(() => createOpenUrl(fake).handler({ url: 'javascript:alert(1)' }, { signal })).toThrow(InvalidArgumentError);
    expect(fake.opened).toEqual([]);
  });

  it('says how to fix a blocked pop-up and gives the link', () => {
    const fake = fakeBrowserApis({ openTab: () => false });
    const run = () => createSearchBing(fake).handler({ query: 'cats' }, { signal });
    expect(run).toThrow(BrowserFeatureError);
    expect(run).toThrow(/blocked the new tab\. Allow pop-ups.*https:\/\/www\.bing\.com\/search\?q=cats/);
  });

  it('opens the search pages', () => {
    const fake = fakeBrowserApis();
    createSearchBing(fake).handler({ query: 'web gpu' }, { signal });
    createSearchArxiv(fake).handler({ query: 'llama AND tools' }, { signal });
    expect(fake.opened).toEqual([
      'https://www.bing.com/search?q=web+gpu',
      'https://arxiv.org/search/?query=llama+AND+tools&searchtype=all',
    ]);
  });

  it('keeps the seed cards’ exact descriptions', () => {
    const bing = createSearchBing(fakeBrowserApis()).spec;
    const arxiv = createSearchArxiv(fakeBrowserApis()).spec;
    expect(bing.description).toBe(
      'Search the web for content on Bing. This allows users to search online/the internet/the web for content.',
    );
    expect(arxiv.description).toBe(
      'Search for research papers on ArXiv. Make use of AND, OR and NOT operators as appropriate to join terms within the query.',
    );
    for (const spec of [bing, arxiv]) {
      expect(spec.parameters).toEqual({
        type: 'object',
        properties: { query: { type: 'string', description: 'The search query string' } },
        required: ['query'],
      });
    }
  });

  it('requires a query', () => {
    expect(() => createSearchArxiv(fakeBrowserApis()).handler({ query: ' ' }, { signal })).toThrow(
      '"query" is required',
    );
  });
});
