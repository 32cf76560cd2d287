import type { BuiltinFunction } from '../builtinFunction.ts';
import { defaultBrowserApis, type BrowserApis } from '../browserApis.ts';
import { requiredString } from '../functionErrors.ts';
import { openInNewTab } from './openInNewTab.ts';
import { arxivSearchUrl } from './searchUrls.ts';

/** The seed cards' second example function; description and argument copied exactly from them. */
export function createSearchArxiv(apis: BrowserApis = defaultBrowserApis): BuiltinFunction {
  return {
    id: 'search_arxiv',
    label: 'Search arXiv',
    enabledByDefault: true,
    needs: ['popup'],
    spec: {
      name: 'search_arxiv',
      // Asks the user first (dispatch enforces it): opens arxiv.org in a new tab and sends it the query: a request to a third party with the user's words.
      confirm: true,
      description:
        'Search for research papers on ArXiv. Make use of AND, OR and NOT operators as appropriate to join terms within the query.',
      parameters: {
        type: 'object',
        properties: { query: { type: 'string', description: 'The search query string' } },
        required: ['query'],
      },
    },
    handler: (args) => openInNewTab(apis, arxivSearchUrl(requiredString(args, 'query'))),
  };
}
