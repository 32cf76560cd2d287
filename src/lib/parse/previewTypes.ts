/**
 * The live call preview's data (previewCalls.ts and the per-shape readers it uses). Kept apart so
 * those modules depend on these types, not on each other.
 */
import type { ScanContext } from './candidate.ts';

export interface PreviewCall {
  /** Set once the name has streamed in full. */
  name?: string;
  /** The arguments seen so far; a string value may still be growing. */
  arguments: Record<string, unknown>;
  /** The call's text is closed (its JSON value or pythonic call has ended). */
  complete: boolean;
}

export interface CallPreview {
  /** The text without the calls and reasoning (and without a trailing fragment that may start one). */
  prose: string;
  calls: PreviewCall[];
  /** The reasoning so far (trimmed), when the answer has any. */
  reasoning?: string;
  /** The text so far ends inside a reasoning block: the model is still thinking. */
  thinking?: boolean;
}

export interface PreviewContext extends ScanContext {
  /** Whether a registered name starts with this text (a name still being written). */
  isNamePrefix(text: string): boolean;
}

/** A call region: `end` is where prose resumes; `open` means it runs to the end of the text so far. */
export interface Region {
  end: number;
  calls: PreviewCall[];
  open: boolean;
  /**
   * Closed for now, but more text may still change it: a tag context without its closing tag ends
   * at its last call only until the closing tag arrives. The incremental previewer re-reads from it.
   */
  tentative?: boolean;
}
