/**
 * Whether a conversation lets the model reason first, and what its options show about it.
 *
 * Three sources, in order: the conversation's own choice (Conversation.thinking), the catalog
 * model's default (CatalogModel.thinkingDefault: what its chat template does when not told), and the
 * prompt format's default (FormatSyntax.thinking.defaultOn, applied by the format itself when the
 * loop passes nothing). Plain TypeScript, so the rules are unit-tested without a page.
 */
import type { ThinkingSupport } from '../../lib/formats/formatSyntax.ts';

/** What the conversation options show: a switch, a plain line, or nothing (the model does not reason). */
export type ThinkingControl = { kind: 'switch'; on: boolean } | { kind: 'always' } | null;

/**
 * The catalog's `thinkingDefault` for a model, read defensively: older catalogs, custom models and
 * models that cannot switch have none.
 */
export function catalogThinkingDefault(model: object | undefined): boolean | undefined {
  if (model && 'thinkingDefault' in model && typeof model.thinkingDefault === 'boolean') return model.thinkingDefault;
  return undefined;
}

/** What the loop is asked for (RunAgentOptions.thinking): the choice, else the model's default, else nothing. */
export function thinkingFor(choice: boolean | undefined, modelDefault: boolean | undefined): boolean | undefined {
  return choice ?? modelDefault;
}

export function thinkingControl(
  support: ThinkingSupport | undefined,
  choice: boolean | undefined,
  modelDefault: boolean | undefined,
): ThinkingControl {
  if (!support) return null;
  if (!support.switchable) return { kind: 'always' };
  return { kind: 'switch', on: thinkingFor(choice, modelDefault) ?? support.defaultOn };
}
