/**
 * An incremental Server-Sent Events reader for streamed completions (the browser's EventSource only
 * does GET, and these endpoints are POST). Fed text as it arrives, split anywhere (a chunk may end in
 * the middle of a line, or between the CR and LF of one line ending); it returns each event once its
 * closing blank line has arrived, as the HTML standard's "interpreting an event stream" says:
 * - lines end with CRLF, LF or CR; a line starting with ":" is a comment (servers send them to keep
 *   the connection open); `field: value` drops one space after the colon;
 * - several `data` lines join with "\n"; an event with no data line is not dispatched.
 * One addition: llama.cpp's server writes a failure during a stream as an `error: {…}` line (a field
 * the standard ignores), so an `error` field is kept as an event named "error".
 */
export interface SseEvent {
  /** The `event:` field, or "error" for llama.cpp's `error:` line; "message" when absent. */
  event: string;
  data: string;
}

export class SseReader {
  #buffer = '';
  #data: string[] = [];
  #event = '';
  /** The last chunk ended with CR: a LF at the start of the next one belongs to that line ending. */
  #afterCr = false;

  /** Reads more of the stream; returns the events it completed. */
  push(text: string): SseEvent[] {
    let chunk = text;
    if (this.#afterCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.#afterCr = false;
    this.#buffer += chunk;
    const events: SseEvent[] = [];
    for (;;) {
      const end = /\r\n|\r|\n/.exec(this.#buffer);
      if (!end) break;
      // A CR at the very end may be the first half of CRLF: the line is complete either way.
      if (end[0] === '\r' && end.index === this.#buffer.length - 1) this.#afterCr = true;
      const line = this.#buffer.slice(0, end.index);
      this.#buffer = this.#buffer.slice(end.index + end[0].length);
      const event = this.#line(line);
      if (event) events.push(event);
    }
    return events;
  }

  /**
   * The stream ended. The standard drops an event whose blank line never came; so does this reader,
   * and `pending` says whether anything was left unfinished (a dropped stream).
   */
  get pending(): boolean {
    return this.#buffer.length > 0 || this.#data.length > 0;
  }

  #line(line: string): SseEvent | undefined {
    if (line === '') {
      if (this.#data.length === 0) {
        this.#event = '';
        return undefined;
      }
      const event = { event: this.#event || 'message', data: this.#data.join('\n') };
      this.#data = [];
      this.#event = '';
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'error') {
      this.#event = 'error';
      this.#data.push(value);
    }
    return undefined;
  }
}
