/**
 * The widget's chat as the unit tests build it: a hermes-format model 'm', no built-in functions, and
 * downloads already agreed (the download question has its own tests); each test names only what it
 * is about.
 */
import { EmbedChat, type EmbedChatOptions } from '../../../src/embed/embedChat.svelte.ts';
import { getPromptFormat } from '../../../src/lib/formats/index.ts';
import { AgreedDownloads } from '../../doubles/agreedDownloads.ts';

export function testWidget(
  options: Pick<EmbedChatOptions, 'engine' | 'bridge'> & Partial<EmbedChatOptions>,
): EmbedChat {
  return new EmbedChat({
    modelId: 'm',
    format: getPromptFormat('hermes'),
    builtins: [],
    downloadConsent: new AgreedDownloads(),
    ...options,
  });
}
