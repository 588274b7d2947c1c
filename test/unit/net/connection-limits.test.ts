import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { limitConnections, type ConnectionLimits } from '../../../main/net/connection-limits';

// The mechanism behind the agent socket's, the exec port's and the PKCE listener's caps.
// A connection that pipelines requests and never reads the answers once held a slot for
// good: Node pauses it with answers queued, so it stayed "being answered" and was never
// displaced, and 64 of them locked every newcomer out of the exec port.

interface LimitedServer {
  port: number;
  /** Paths as they reached the handler, in order. */
  handled: string[];
  /** The server's end of the connection of each handled request, in the same order. */
  connections: Socket[];
  refused: number;
}

let server: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  if (server === undefined) return;
  const closing = server;
  server = undefined;
  closing.closeAllConnections();
  await new Promise<void>((resolve) => closing.close(() => resolve()));
});

/** `/hold` is never answered (a long-poll), `/big` answers 8 MiB, anything else a short 200. */
function answer(request: IncomingMessage, response: ServerResponse): void {
  if (request.url === '/hold') {
    response.writeHead(200);
    response.write('holding');
    return;
  }
  if (request.url === '/big') {
    response.end(Buffer.alloc(8 * 1024 * 1024));
    return;
  }
  response.end('ok');
}

async function startLimited(limits: Partial<ConnectionLimits> = {}): Promise<LimitedServer> {
  const limited: LimitedServer = { port: 0, handled: [], connections: [], refused: 0 };
  const created = createServer();
  server = created;
  limitConnections(created, { maxConnections: 4, silentConnectionTimeoutMs: 10_000, ...limits }, {
    onRequest: (req, res) => {
      limited.handled.push(req.url ?? '');
      limited.connections.push(req.socket);
      answer(req, res);
    },
    onRefused: () => (limited.refused += 1),
  });
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', () => resolve()));
  limited.port = (created.address() as AddressInfo).port;
  return limited;
}

function getRequest(path: string, port: number): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
}

/** Connects and writes `raw`; `read: false` never reads a byte, so the answers back up. */
function openConnection(port: number, raw: string | Buffer, read: boolean): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      if (read) socket.resume();
      else socket.pause();
      socket.write(raw);
      resolve(socket);
    });
    socket.once('close', () => resolve(socket));
  });
}

/** One GET on a fresh connection; resolves with the status, or 0 when the connection failed. */
function get(port: number, path = '/'): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
    req.end();
  });
}

async function within(timeoutMs: number, check: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('limitConnections', () => {
  it('closes a connection that pipelines a request while another of its requests is being answered, and never hands that request on', async () => {
    const limited = await startLimited();
    const socket = await openConnection(limited.port, getRequest('/hold', limited.port) + getRequest('/second', limited.port), true);
    await within(1000, () => socket.destroyed, 'the pipelining connection closes');
    expect(limited.handled).toEqual(['/hold']);
  });

  it('hands on only the first of thousands of pipelined requests in one write', async () => {
    const limited = await startLimited();
    const socket = await openConnection(limited.port, getRequest('/', limited.port).repeat(5000), true);
    await within(1000, () => socket.destroyed, 'the pipelining connection closes');
    expect(limited.handled).toEqual(['/']);
  });

  it('serves requests one after another on a keep-alive connection', async () => {
    const limited = await startLimited();
    const socket = connect({ host: '127.0.0.1', port: limited.port });
    sockets.push(socket);
    let received = '';
    const answered = (count: number): Promise<void> => within(1000, () => (received.match(/\r\n\r\nok/g) ?? []).length >= count, `answer ${count}`);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    for (let i = 1; i <= 3; i += 1) {
      socket.write(getRequest(`/${i}`, limited.port));
      await answered(i);
    }
    expect(socket.destroyed).toBe(false);
    expect(limited.handled).toEqual(['/1', '/2', '/3']);
  });

  it('hands on one request per connection that pipelines and never reads, and closes it, so a newcomer over the cap is served', async () => {
    const limited = await startLimited({ maxConnections: 4 });
    // About 1 MiB of requests each, whose answers would back up for many more.
    const flood = Buffer.from(getRequest('/', limited.port).repeat(20_000));
    const attackers = await Promise.all(Array.from({ length: 8 }, () => openConnection(limited.port, flood, false)));
    await within(1000, () => limited.handled.length >= 4, 'the first requests arrive');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await get(limited.port)).toBe(200);
    // One request handed on per pipelining connection, each connection closed by the server.
    expect(limited.handled.length).toBeLessThanOrEqual(attackers.length + 1);
    const flooding = limited.connections.slice(0, -1);
    expect(flooding.every((connection) => connection.destroyed)).toBe(true);
  });

  it('lets a newcomer at the cap displace a connection whose answer is not being read, never one whose answer is', async () => {
    const limited = await startLimited({ maxConnections: 2 });
    await openConnection(limited.port, getRequest('/big', limited.port), false);
    const longPoll = await openConnection(limited.port, getRequest('/hold', limited.port), true);
    await within(1000, () => limited.handled.length === 2, 'both requests arrive');
    const [unreadEnd, longPollEnd] = limited.connections;
    await within(1000, () => unreadEnd?.writableNeedDrain === true, 'the unread answer backs up');
    expect(await get(limited.port)).toBe(200);
    expect(unreadEnd?.destroyed).toBe(true);
    expect(longPollEnd?.destroyed).toBe(false);
    expect(longPoll.destroyed).toBe(false);
  });

  it('refuses a newcomer at once when every connection is being answered and read', async () => {
    const limited = await startLimited({ maxConnections: 2 });
    const held = await Promise.all([1, 2].map(() => openConnection(limited.port, getRequest('/hold', limited.port), true)));
    await within(1000, () => limited.handled.length === 2, 'both requests arrive');
    expect(await get(limited.port)).toBe(0);
    expect(limited.refused).toBe(1);
    expect(held.every((socket) => !socket.destroyed)).toBe(true);
  });
});
