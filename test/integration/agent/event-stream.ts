import { request, type ClientRequest } from 'node:http';

/** Follows `GET /v1/events` and collects the parsed `data:` lines. */
export class EventStream {
  readonly events: Record<string, unknown>[] = [];
  comments = 0;
  ended = false;
  private waiters: (() => void)[] = [];

  private constructor(private readonly req: ClientRequest) {}

  static open(socketPath: string, path = '/v1/events'): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      const req = request({ socketPath, path, agent: false }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`events answered ${res.statusCode}`));
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            stream.take(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        });
        res.on('end', () => {
          stream.ended = true;
          stream.notify();
        });
        resolve(stream);
      });
      const stream = new EventStream(req);
      req.on('error', () => undefined);
      req.end();
    });
  }

  /** Resolves with the first event (seen or to come) that matches. */
  async next(matches: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    for (;;) {
      const found = this.events.find(matches);
      if (found) return found;
      if (this.ended) throw new Error('the event stream ended');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async untilEnded(): Promise<void> {
    while (!this.ended) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.req.destroy();
  }

  private take(block: string): void {
    for (const line of block.split('\n')) {
      if (line.startsWith('data: ')) this.events.push(JSON.parse(line.slice(6)) as Record<string, unknown>);
      else if (line.startsWith(':')) this.comments += 1;
    }
    this.notify();
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
