import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOneRequestServer, type OneRequestServer, type OneRequestServerLimits } from '../../../main/net/one-request-server';

// The exec port's and the PKCE listener's server. Another user reconnecting with 64 KiB
// chunks of pipelined requests kept the agent's thread busy in Node's HTTP parser (it
// builds a request object for each, about 20 ms a chunk) until the user's own SDK
// timed out; here no such chunk reaches the parser.

let front: OneRequestServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  if (front === undefined) return;
  const closing = front;
  front = undefined;
  closing.closeAllConnections();
  await new Promise<void>((resolve) => closing.server.close(() => resolve()));
});

interface Started {
  port: number;
  handled: string[];
  refused: number;
}

async function start(limits: Partial<OneRequestServerLimits> = {}, hold = false): Promise<Started> {
  const started: Started = { port: 0, handled: [], refused: 0 };
  front = createOneRequestServer(
    { maxConnections: 4, silentConnectionTimeoutMs: 10_000, requestTimeoutMs: 10_000, maxHeaderBytes: 16 * 1024, ...limits },
    {
      onRequest: (request, response) => {
        started.handled.push(request.url ?? '');
        if (!hold) response.end('ok');
      },
      onRefused: () => (started.refused += 1),
    },
  );
  const server = front.server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  started.port = (server.address() as AddressInfo).port;
  return started;
}

function get(path: string, port: number): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
}

/**
 * Connects, writes `text`, and resolves with all that was answered once the server closes
 * the connection (a reset too: closing with unread bytes resets).
 */
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(received) : reject(error)));
    socket.once('close', () => resolve(received));
    socket.write(text);
  });
}

function connected(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    // Read what comes, so that the server's close is seen.
    socket.resume();
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

describe('the one-request server', () => {
  it('answers one request and closes the connection after it', async () => {
    const started = await start();
    const answer = await exchange(started.port, get('/a', started.port));
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer.endsWith('ok')).toBe(true);
    expect(started.handled).toEqual(['/a']);
  });

  it('hands on a request whose headers arrive in several pieces', async () => {
    const started = await start();
    const socket = await connected(started.port);
    const text = get('/pieces', started.port);
    for (const piece of [text.slice(0, 5), text.slice(5, text.length - 2), text.slice(-2)]) {
      socket.write(piece);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await closed(socket);
    expect(started.handled).toEqual(['/pieces']);
  });

  it('closes a connection that sends a chunk of thousands of pipelined requests, and hands on none of them', async () => {
    const started = await start();
    const flood = Array.from({ length: 3000 }, (_, n) => get(`/p${n}`, started.port)).join('');
    expect(await exchange(started.port, flood)).toBe('');
    expect(started.handled).toEqual([]);
    // And the server still serves.
    expect(await exchange(started.port, get('/after', started.port))).toMatch(/^HTTP\/1\.1 200/);
  });

  it('closes a connection that sends anything more while its request is being answered', async () => {
    const started = await start({}, true);
    const socket = await connected(started.port);
    socket.write(get('/first', started.port));
    while (started.handled.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    socket.write(get('/second', started.port));
    await closed(socket);
    expect(started.handled).toEqual(['/first']);
  });

  it.each([
    ['an empty head (a bare CRLF CRLF)', '\r\n\r\n'],
    ['the HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\n'],
    ['a line that is no request line', 'hello\r\n\r\n'],
  ])('closes a connection whose head is %s at once, instead of leaving it waiting for a request that never comes', async (_name, head) => {
    const started = await start({ requestTimeoutMs: 60_000, silentConnectionTimeoutMs: 60_000 });
    const begun = Date.now();
    expect(await exchange(started.port, head)).toBe('');
    expect(Date.now() - begun).toBeLessThan(1000);
    expect(started.handled).toEqual([]);
  });

  it('cannot have its slots held by connections whose heads never become requests', async () => {
    // Every slot taken by connections whose heads never became requests: a newcomer still gets in.
    const started = await start({ maxConnections: 2, requestTimeoutMs: 60_000, silentConnectionTimeoutMs: 60_000 });
    const stuck = await Promise.all([connected(started.port), connected(started.port)]);
    for (const socket of stuck) socket.write('\r\n\r\n');
    await Promise.all(stuck.map((socket) => closed(socket)));
    expect(await exchange(started.port, get('/served', started.port))).toMatch(/^HTTP\/1\.1 200/);
  });

  it('closes a request with a body: none of these requests has one', async () => {
    const started = await start();
    const post = `POST /x HTTP/1.1\r\nHost: 127.0.0.1:${started.port}\r\nContent-Length: 5\r\n\r\nhello`;
    expect(await exchange(started.port, post)).toBe('');
    expect(started.handled).toEqual([]);
  });

  it('closes a connection whose headers grow past the bound without ending', async () => {
    const started = await start({ maxHeaderBytes: 1024 });
    expect(await exchange(started.port, `GET / HTTP/1.1\r\nX: ${'a'.repeat(2048)}`)).toBe('');
    expect(started.handled).toEqual([]);
  });

  it('closes a silent connection after the silent window, and one that trickles past the request timeout', async () => {
    const started = await start({ silentConnectionTimeoutMs: 100, requestTimeoutMs: 300 });
    const silent = await connected(started.port);
    const trickling = await connected(started.port);
    const drip = setInterval(() => trickling.write('G'), 50);
    const begun = Date.now();
    await closed(silent);
    expect(Date.now() - begun).toBeLessThan(1000);
    await closed(trickling);
    clearInterval(drip);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(250);
  });

  it('lets a newcomer at the cap displace the oldest connection still sending its request, never one being answered', async () => {
    const started = await start({ maxConnections: 2 }, true);
    const answered = await connected(started.port);
    answered.write(get('/held', started.port));
    while (started.handled.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const silent = await connected(started.port);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const newcomer = await connected(started.port);
    await closed(silent);
    expect(answered.destroyed).toBe(false);
    newcomer.write(get('/newcomer', started.port));
    while (started.handled.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(started.handled).toEqual(['/held', '/newcomer']);
    // With every slot being answered, the next newcomer is refused.
    const refused = await connected(started.port);
    await closed(refused);
    expect(started.refused).toBe(1);
  });
});
