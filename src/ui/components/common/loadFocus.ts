/**
 * After a model load, the caret goes to the message box — but only if the focus is still where it
 * was when the load started (or has fallen to the page, as when the button that started the load
 * went away). A control the user has focused since, a dialog or panel they opened, or a text field
 * they are typing in keeps the focus: a key pressed in the instant the load ends must reach what
 * the user is looking at, not the message box. One rule for the app (ChatView) and the widget
 * (EmbedApp).
 */
export class LoadFocus {
  #from: Element | null = null;

  /**
   * Remembers where the focus is: when a load starts, or when the dialog that ran the load (the
   * app's model picker) has closed and given the focus back. Call it after the update that started
   * the load, so a download question closed in it has given the focus back too.
   */
  mark(): void {
    this.#from = document.activeElement;
  }

  /** The load has finished: focuses `box` unless the focus has moved since `mark()`. */
  restore(box: { focus(): void } | undefined): void {
    const active = document.activeElement;
    const unmoved = active === null || active === document.body || (active === this.#from && !isTextField(active));
    if (unmoved) box?.focus();
  }
}

/** A field that takes typing: the focus is never taken from it. */
function isTextField(element: Element): boolean {
  return (
    element instanceof HTMLInputElement ||
    element instanceof HTMLTextAreaElement ||
    element instanceof HTMLSelectElement ||
    (element instanceof HTMLElement && element.isContentEditable)
  );
}
