/**
 * What a view's message list needs for the message actions: whether they may generate now, and the
 * calls into the chat core (through the view's state: ui/state/chat.svelte.ts or embed/embedChat.svelte.ts).
 * Passed as an object of getters and methods, so `enabled` stays reactive where it is read.
 */
export interface MessageActions {
  /** Regenerate, Continue and Edit are offered: a model can answer and nothing is running. */
  readonly enabled: boolean;
  /** The answer with this id can be continued (chatSession.ts canContinue). */
  canContinue(messageId: string): boolean;
  regenerate(messageId: string): void;
  continueAnswer(messageId: string): void;
  resend(messageId: string, text: string): void;
  selectVersion(messageId: string, index: number): void;
}
