import type { IncomingMessage, ServerResponse } from 'node:http';

/** The caller asked for server-sent events (`Accept: text/event-stream`), as the CLI does on a terminal. */
export function acceptsEventStream(request: IncomingMessage): boolean {
  return (request.headers.accept ?? '').toLowerCase().includes('text/event-stream');
}

/**
 * An answer that turns into a server-sent event stream only once there is something to
 * report before it ends: a quick answer (a kept listing, an early refusal) stays a plain
 * JSON answer, which is also all an older client or `curl` expects.
 */
export class LazyEventStream<E extends object> {
  private opened = false;

  constructor(private readonly response: ServerResponse) {}

  get started(): boolean {
    return this.opened;
  }

  send(event: E): void {
    if (this.response.destroyed || this.response.writableEnded) return;
    if (!this.opened) {
      this.response.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
      });
      this.opened = true;
    }
    this.response.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  /** Sends the last event and ends the answer. */
  end(last: E): void {
    this.send(last);
    if (!this.response.writableEnded) this.response.end();
  }
}
