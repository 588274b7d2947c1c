import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A relay in front of the emulator's OIDC endpoint that can let one call reach the
 * emulator and then hold its answer back: the moment when AWS has done the work (spent
 * a refresh token, issued new ones) and the answer is still on its way, which is where a
 * kill loses a rotated refresh token. The emulator's own delay fault waits before it
 * reads the request, so a kill then leaves the old token unspent.
 */
export class AnswerHolder {
  private holdPath: string | undefined;
  private onHeld: (() => void) | undefined;
  private readonly held = new Set<ServerResponse>();

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly baseUrl: string,
  ) {}

  static async start(targetBaseUrl: string): Promise<AnswerHolder> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const holder = new AnswerHolder(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void holder.relay(targetBaseUrl, req, res).catch(() => res.destroy()));
    return holder;
  }

  /** The next call to `path` gets the emulator's answer, which is then never sent; resolves once it is held. */
  holdNext(path: string): Promise<void> {
    this.holdPath = path;
    return new Promise((resolve) => (this.onHeld = resolve));
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    await new Promise((resolve) => this.server.close(resolve));
    this.server.closeAllConnections();
  }

  private async relay(target: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers[name] = value;
    const answer = await fetch(`${target}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    const body = Buffer.from(await answer.arrayBuffer());
    if (this.holdPath !== undefined && (req.url ?? '').startsWith(this.holdPath)) {
      this.holdPath = undefined;
      this.held.add(res);
      this.onHeld?.();
      return;
    }
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection' && name !== 'content-encoding') out[name] = value;
    });
    res.writeHead(answer.status, out);
    res.end(body);
  }
}
