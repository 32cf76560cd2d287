import type { BuiltinFunction } from '../builtinFunction.ts';
import { defaultBrowserApis, type BrowserApis } from '../browserApis.ts';
import { requiredString } from '../functionErrors.ts';
import { openInNewTab } from './openInNewTab.ts';
import { bingSearchUrl } from './searchUrls.ts';

/** The seed cards' example function; its description and argument are copied exactly from them. */
export function createSearchBing(apis: BrowserApis = defaultBrowserApis): BuiltinFunction {
  return {
    id: 'search_bing',
    label: 'Search Bing',
    enabledByDefault: true,
    needs: ['popup'],
    spec: {
      name: 'search_bing',
      // Asks the user first (dispatch enforces it): opens bing.com in a new tab and sends it the query: a request to a third party with the user's words.
      confirm: true,
      description:
        'Search the web for content on Bing. This allows users to search online/the internet/the web for content.',
      parameters: {
        type: 'object',
        properties: { query: { type: 'string', description: 'The search query string' } },
        required: ['query'],
      },
    },
    handler: (args) => openInNewTab(apis, bingSearchUrl(requiredString(args, 'query'))),
  };
}
