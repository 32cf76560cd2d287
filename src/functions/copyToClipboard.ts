import type { BuiltinFunction } from './builtinFunction.ts';
import { defaultBrowserApis, type BrowserApis } from './browserApis.ts';
import { BrowserFeatureError, InvalidArgumentError } from './functionErrors.ts';

export async function copyToClipboard(apis: BrowserApis, args: Record<string, unknown>): Promise<{ copied: number }> {
  const text = args.text;
  if (typeof text !== 'string' || text === '')
    throw new InvalidArgumentError('text', '"text" is required and must not be empty.');
  const clipboard = apis.clipboard;
  if (!clipboard) {
    throw new BrowserFeatureError(
      'clipboard',
      'unsupported',
      'The clipboard is not available here (it needs a secure https page).',
    );
  }
  try {
    await clipboard.writeText(text);
  } catch (error) {
    throw new BrowserFeatureError(
      'clipboard',
      'denied',
      'The browser did not allow writing to the clipboard. Keep this tab focused, allow clipboard access for this site if asked, and try again.',
      { cause: error },
    );
  }
  return { copied: text.length };
}

export function createCopyToClipboard(apis: BrowserApis = defaultBrowserApis): BuiltinFunction {
  return {
    id: 'copy_to_clipboard',
    label: 'Copy to clipboard',
    enabledByDefault: false,
    needs: ['clipboard'],
    spec: {
      name: 'copy_to_clipboard',
      // Asks the user first (dispatch enforces it): overwrites what the user has on the clipboard.
      confirm: true,
      description:
        "Copy text to the user's clipboard so they can paste it elsewhere. Returns the number of characters copied.",
      parameters: {
        type: 'object',
        properties: { text: { type: 'string', description: 'Required. The exact text to copy.' } },
        required: ['text'],
      },
    },
    handler: (args) => copyToClipboard(apis, args),
  };
}
