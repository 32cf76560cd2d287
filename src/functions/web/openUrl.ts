import type { BuiltinFunction } from '../builtinFunction.ts';
import { defaultBrowserApis, type BrowserApis } from '../browserApis.ts';
import { requiredString } from '../functionErrors.ts';
import { openInNewTab } from './openInNewTab.ts';
import { safeHttpUrl } from './safeHttpUrl.ts';

export function createOpenUrl(apis: BrowserApis = defaultBrowserApis): BuiltinFunction {
  return {
    id: 'open_url',
    label: 'Open a web page',
    enabledByDefault: true,
    needs: ['popup'],
    spec: {
      name: 'open_url',
      // Asks the user first (dispatch enforces it): opens a page the model chose: the user sees the address first.
      confirm: true,
      description:
        'Open a web page in a new browser tab. Only http:// and https:// addresses are allowed. Returns the address opened.',
      parameters: {
        type: 'object',
        properties: { url: { type: 'string', description: 'Required. The full address, e.g. "https://example.com".' } },
        required: ['url'],
      },
    },
    handler: (args) => openInNewTab(apis, safeHttpUrl(requiredString(args, 'url'))),
  };
}
