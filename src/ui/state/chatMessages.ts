/**
 * The chat's message model and reducer moved to the chat core shared with the widget (lib/types/chat.ts,
 * lib/chat/); re-exported here so the app's components and stores keep their imports.
 */
export type * from '../../lib/types/chat.ts';
export * from '../../lib/chat/messages.ts';
export * from '../../lib/chat/stepParts.ts';
