/** Moved to the chat core (lib/chat/reasoning.ts); kept so the components' imports stay as they were. */
export * from '../../lib/chat/reasoning.ts';
