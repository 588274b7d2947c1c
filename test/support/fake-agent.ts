import { createConnection } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { chmod, link, unlink } from 'node:fs/promises';
import type { AgentCredentials } from '../../main/cli/agent-responses';
import { credentialProcessLine, toRfc3339Seconds } from '../../main/cli/credential-process-output';
import { CREDENTIAL_PROCESS_LINE_TYPE } from '../../main/agent/routes/credential-routes';
import { RelayRuns } from '../../main/relay/relay-runs';
import { readExitCode } from '../../main/relay/relay-wire';

/** What a route handler sees of a request to the fake agent. */
export interface FakeRequest {
  method: string;
  url: URL;
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
}

export type FakeRoute = (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

/**
 * A stand-in for the agent's socket API (docs/agent-api.md): a node:http server on a
 * Unix socket serving the routes a test gives it (`"GET /v1/credentials"`; the path
 * without its query), `GET /v1/status` with this process's pid by default, and
 * `GET /v1/events` as a server-sent event stream fed by `emit()`. Like the agent, it runs
 * the native client's commands (`POST /v1/relay`, main/relay) with the real CLI code in
 * this process, against its own routes; those relay requests are not in `requests`.
 */
export class FakeAgent {
  readonly requests: FakeRequest[] = [];
  private readonly streams = new Set<ServerResponse>();
  private readonly relayRuns: RelayRuns;

  private constructor(
    readonly socketPath: string,
    private readonly server: Server,
    private readonly routes: Map<string, FakeRoute>,
  ) {
    this.relayRuns = new RelayRuns(socketPath);
  }

  static async start(socketPath: string, routes: Record<string, FakeRoute> = {}): Promise<FakeAgent> {
    const table = new Map<string, FakeRoute>(Object.entries(routes));
    if (!table.has('GET /v1/status')) {
      table.set('GET /v1/status', () => ({
        status: 200,
        body: { version: '0.0.0-fake', pid: process.pid, interactive: false, configFile: '/dev/null', problems: [], sessions: [] },
      }));
    }
    const holder: { agent?: FakeAgent } = {};
    const server = createServer((req, res) => void holder.agent?.handle(req, res));
    const agent = new FakeAgent(socketPath, server, table);
    holder.agent = agent;
    await listenExclusively(server, socketPath);
    return agent;
  }

  route(key: string, route: FakeRoute): void {
    this.routes.set(key, route);
  }

  /** Sends one event to every open `/v1/events` stream. */
  emit(event: unknown): void {
    for (const res of this.streams) res.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  get openStreams(): number {
    return this.streams.size;
  }

  async close(): Promise<void> {
    for (const res of this.streams) res.end();
    this.streams.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    // The server listened under a temporary name (listenExclusively): its own name is ours to remove.
    await unlink(this.socketPath).catch(() => undefined);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://latchkey');
    const text = await readText(req);
    const request: FakeRequest = { method: req.method ?? 'GET', url, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
    if (await this.relay(request, res)) return;
    this.requests.push(request);
    if (request.method === 'GET' && url.pathname === '/v1/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(': connected\n\n');
      this.streams.add(res);
      res.on('close', () => this.streams.delete(res));
      return;
    }
    const route = this.routes.get(`${request.method} ${url.pathname}`);
    const answer = route === undefined
      ? { status: 404, body: { error: { code: 'not_found', message: `No route ${request.method} ${url.pathname}.` } } }
      : await route(request);
    if (answer.status === 200 && url.pathname === '/v1/credentials' && (req.headers.accept ?? '').includes(CREDENTIAL_PROCESS_LINE_TYPE) && credentialProcessText(answer.body as AgentCredentials) !== undefined) {
      // As the agent answers the native client's fast path: the line itself, made by the CLI's own function.
      const line = credentialProcessText(answer.body as AgentCredentials) ?? '';
      res.writeHead(200, { 'content-type': CREDENTIAL_PROCESS_LINE_TYPE, 'content-length': Buffer.byteLength(line) }).end(line);
    } else if (answer.body === undefined) {
      res.writeHead(answer.status).end();
    } else {
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    }
  }

  private async relay(request: FakeRequest, res: ServerResponse): Promise<boolean> {
    if (request.method !== 'POST' || !request.url.pathname.startsWith('/v1/relay')) return false;
    const notice = /^\/v1\/relay\/([0-9a-f]+)\/(interrupt|child-exited)$/.exec(request.url.pathname);
    try {
      if (notice !== null) {
        const id = notice[1] ?? '';
        if (notice[2] === 'interrupt') this.relayRuns.interrupt(id);
        else this.relayRuns.childExited(id, readExitCode(request.url.searchParams.get('code')));
        res.writeHead(204).end();
      } else {
        await this.relayRuns.run(request.body, res);
      }
    } catch (error) {
      // As the agent answers a refused relay request: its sentence, as JSON.
      if (!res.headersSent) {
        const message = error instanceof Error ? error.message : String(error);
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'invalid_request', message } }));
      }
    }
    return true;
  }
}

/**
 * Listens on the socket the way the agent must (docs/agent-api.md): a live socket is
 * never taken over (EADDRINUSE is thrown), a stale file is removed and replaced. As the
 * real agent does, the socket is made 0600 under a temporary name and then linked to its
 * own, so that no client ever sees it wider (clients refuse a socket others could reach).
 */
async function listenExclusively(server: Server, socketPath: string): Promise<void> {
  const temporary = `${socketPath}.${randomBytes(4).toString('hex')}`;
  await listen(server, temporary);
  try {
    await chmod(temporary, 0o600);
    try {
      await link(temporary, socketPath);
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
      if (await answers(socketPath)) throw Object.assign(new Error(`${socketPath} is in use`), { code: 'EADDRINUSE' });
      await unlink(socketPath).catch(() => undefined);
      await link(temporary, socketPath);
    }
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

function listen(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The line the agent sends for a credential answer; undefined for a body a test made malformed on purpose. */
function credentialProcessText(credentials: AgentCredentials): string | undefined {
  try {
    return credentialProcessLine({ ...credentials, Expiration: toRfc3339Seconds(credentials.Expiration) });
  } catch {
    return undefined;
  }
}

/** `{"error":{...}}` with its status, as the agent answers errors. */
export function fakeError(status: number, code: string, message: string): FakeAnswer {
  return { status, body: { error: { code, message } } };
}
