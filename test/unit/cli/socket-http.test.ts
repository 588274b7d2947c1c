import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { spawn } from 'node:child_process';
import { connect, createServer as createNetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_ANSWER_MAX_BYTES, socketHttpExchange } from '../../../main/cli/socket-http';
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

  it('stops reading an answer that runs past AGENT_ANSWER_MAX_BYTES, and says so, instead of growing without end', async () => {
    const path = await listen(
      createNetServer((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n');
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        // Endless, as a runaway agent's would be: writes as fast as the client reads.
        const pump = (): void => {
          while (!socket.destroyed && socket.write(chunk)) continue;
        };
        socket.on('drain', pump);
        socket.on('error', () => undefined);
        pump();
      }),
    );
    const error = await socketHttpExchange(path, { ...get, timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'malformed_response')).toBe(true);
    expect((error as Error).message).toBe('The Latchkey agent sent an answer larger than 16 MiB; the CLI stopped reading it.');
  });

  it('reads an answer just under AGENT_ANSWER_MAX_BYTES whole', async () => {
    const text = `"${'x'.repeat(AGENT_ANSWER_MAX_BYTES - 200)}"`;
    const path = await listen(createNetServer((socket) => socket.end(`HTTP/1.1 200 OK\r\nContent-Length: ${text.length}\r\n\r\n${text}`)));
    const answer = await socketHttpExchange(path, get);
    expect(answer.text.length).toBe(text.length);
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

  it('waits for room when the listen backlog is full (EAGAIN), as a blocking connect would, and is answered', async () => {
    const path = join(dir, 'busy.sock');
    // A listener that accepts nothing for 400 ms, with the smallest backlog, then answers every connection.
    const listener = spawn('python3', ['-c', BUSY_LISTENER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((resolve) => listener.stdout.once('data', resolve));
      const fillers = Array.from({ length: 4 }, () => connect(path).on('error', () => undefined));
      for (const filler of fillers) sockets.add(filler);
      const refused = await new Promise<string | undefined>((resolve) => {
        const probe = connect(path);
        probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
        probe.once('connect', () => resolve(probe.destroy() && undefined));
      });
      // Guards the test itself: the backlog really was full when the exchange began.
      expect(refused).toBe('EAGAIN');
      const answer = await socketHttpExchange(path, get);
      expect(answer).toEqual({ status: 200, text: 'ok' });
    } finally {
      listener.kill('SIGKILL');
    }
  });
});

/** Binds argv[1] with backlog 0 (one pending connection on Linux), says so, sleeps, then answers each connection "ok". */
const BUSY_LISTENER = `
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o600); s.listen(0)
print('listening', flush=True)
time.sleep(0.4)
while True:
    c, _ = s.accept()
    c.settimeout(0.2)
    try:
        c.recv(65536)
        c.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok')
    except OSError:
        pass
    c.close()
`;
