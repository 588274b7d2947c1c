import { LatchkeyError } from '../core/errors';

/**
 * The most an event may hold, unended lines included: the agent's events are a few KiB,
 * and a stream that never ends a line or an event must not grow the CLI without bound.
 */
export const MAX_EVENT_CHARS = 1024 * 1024;

/**
 * Splits a server-sent event stream (text/event-stream) into the `data` of each event.
 * Only what the agent sends is needed: `data:` lines (joined with newlines when an event
 * has several), comment lines (`:`, the keep-alive) and blank lines that end an event.
 * Throws `malformed_response` once an event passes MAX_EVENT_CHARS.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private dataChars = 0;

  /** Feeds the next chunk of text; returns the data of every event it completed. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const completed: string[] = [];
    for (;;) {
      const newline = this.buffer.search(/\r\n|\r|\n/);
      if (newline === -1) break;
      // A CR that ends the chunk may be the first half of a CR LF: wait for the next one,
      // or the LF would read as a blank line and end the event early.
      if (newline === this.buffer.length - 1 && this.buffer.endsWith('\r')) break;
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      if (line === '') {
        if (this.data.length > 0) completed.push(this.data.join('\n'));
        this.data = [];
        this.dataChars = 0;
      } else if (line.startsWith('data:')) {
        const value = line.slice(5);
        this.data.push(value.startsWith(' ') ? value.slice(1) : value);
        // The whole line counts: every data line is kept as a string of its own until the event ends.
        this.dataChars += line.length + width;
      }
      // `event:`, `id:`, `retry:` and comments carry nothing the CLI uses.
    }
    if (this.buffer.length + this.dataChars > MAX_EVENT_CHARS) {
      throw new LatchkeyError('malformed_response', `The Latchkey agent sent an event longer than ${MAX_EVENT_CHARS / 1024 / 1024} MiB.`);
    }
    return completed;
  }
}
