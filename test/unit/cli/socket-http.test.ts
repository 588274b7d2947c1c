import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { socketHttpExchange } from '../../../main/cli/socket-http';
import { isLatchkeyError } from '../../../main/core/errors';

let dir: string;
let server: Server | undefined;
const sockets = new Set<{ destroy(): void }>();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lk-sh-'));
});

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function listen(s: Server): Promise<string> {
  server = s;
  s.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const path = join(dir, 's.sock');
  await new Promise<void>((resolve) => s.listen(path, resolve));
  // The client refuses a socket that other users could connect to, as the agent's is not.
  await chmod(path, 0o600);
  return path;
}

const get = { method: 'GET', path: '/v1/x', headers: { Host: 'latchkey' }, timeoutMs: 2_000 };

describe('socketHttpExchange', () => {
  it('reads a Content-Length answer from a node:http server, and sends the body with its length', async () => {
    const path = await listen(
      createHttpServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          const text = JSON.stringify({ method: req.method, url: req.url, body, connection: req.headers.connection });
          res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
        });
      }),
    );
    const answer = await socketHttpExchange(path, { ...get, method: 'POST', body: '{"ä":1}' });
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.text)).toEqual({ method: 'POST', url: '/v1/x', body: '{"ä":1}', connection: 'close' });
  });

  it('joins a chunked answer', async () => {
    const path = await listen(
      createHttpServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"a":');
        setTimeout(() => res.end('"ü"}'), 5);
      }),
    );
    expect(await socketHttpExchange(path, get)).toEqual({ status: 200, text: '{"a":"ü"}' });
  });

  it('rejects an answer that is not HTTP as malformed', async () => {
    const path = await listen(createNetServer((socket) => socket.end('garbage\r\n\r\n')));
    const error = await socketHttpExchange(path, get).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'malformed_response')).toBe(true);
  });

  it('rejects with the socket error code when nothing listens', async () => {
    const error = await socketHttpExchange(join(dir, 'none.sock'), get).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENOENT' });
  });

  it('gives up after the timeout', async () => {
    const path = await listen(createNetServer(() => undefined));
    const error = await socketHttpExchange(path, { ...get, timeoutMs: 50 }).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'timeout')).toBe(true);
  });
});
