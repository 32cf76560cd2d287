/**
 * After a model load, the caret goes to the message box — unless the user is typing in another text
 * field (the app's system prompt, say). One rule for the app (ChatView) and the widget (EmbedApp).
 */
export function focusUnlessTyping(box: { focus(): void } | undefined): void {
  const active = document.activeElement;
  const typing = active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement;
  if (!typing) box?.focus();
}
