/**
 * Splits a server-sent event stream (text/event-stream) into the `data` of each event.
 * Only what the agent sends is needed: `data:` lines (joined with newlines when an event
 * has several), comment lines (`:`, the keep-alive) and blank lines that end an event.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];

  /** Feeds the next chunk of text; returns the data of every event it completed. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const completed: string[] = [];
    for (;;) {
      const newline = this.buffer.search(/\r\n|\r|\n/);
      if (newline === -1) break;
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      if (line === '') {
        if (this.data.length > 0) completed.push(this.data.join('\n'));
        this.data = [];
      } else if (line.startsWith('data:')) {
        const value = line.slice(5);
        this.data.push(value.startsWith(' ') ? value.slice(1) : value);
      }
      // `event:`, `id:`, `retry:` and comments carry nothing the CLI uses.
    }
    return completed;
  }
}
