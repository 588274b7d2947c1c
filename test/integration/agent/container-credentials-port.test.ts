import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CredentialTargetWire } from '../../../main/agent/agent-wire-types';
import { ContainerCredentialsServer, type ContainerCredentialsServerOptions } from '../../../main/agent/container-credentials-server';
import { silentLogger } from '../../../main/core/logger';
import type { StoredRoleCredentials } from '../../../main/core/session-vault';
import { containerGet, portRefuses } from './exec-binding';

// The exec port on its own (finding 4 and 5 of issue 8): it listens only while a binding
// exists, bounds its connections, and closes connections that say nothing.

const TARGET: CredentialTargetWire = { profile: 'dev' };
const CREDENTIALS: StoredRoleCredentials = {
  accessKeyId: 'ASIATEST',
  secretAccessKey: 'secret',
  sessionToken: 'session',
  expiresAtMs: Date.UTC(2099, 0, 1),
  accountId: '111111111111',
  roleName: 'Developer',
};

let server: ContainerCredentialsServer | undefined;
const sockets: Socket[] = [];

function start(options: Partial<ContainerCredentialsServerOptions> = {}): ContainerCredentialsServer {
  server = new ContainerCredentialsServer({ credentialsFor: async () => CREDENTIALS, logger: silentLogger, ...options });
  return server;
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.resume();
    socket.once('connect', () => resolve(socket));
    socket.once('close', () => reject(new Error('closed before it connected')));
  });
}

/** Writes `requests` (pipelined) the moment it connects and never reads the answers. */
function openPipelining(port: number, requests: Buffer): void {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  socket.on('error', () => undefined);
  socket.once('connect', () => {
    socket.pause();
    socket.write(requests);
  });
}

function closedWithin(socket: Socket): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    if (socket.destroyed) resolve(0);
    socket.once('close', () => resolve(Date.now() - started));
  });
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.dispose();
  server = undefined;
});

describe('the exec port', () => {
  it('keeps its port bound after the last binding ends, answering 404 for it, and serves the next binding there', async () => {
    const ports = start();
    const first = await ports.create(TARGET);
    first.dispose();
    expect((await containerGet(first.endpoint.url, first.endpoint.authorizationToken)).status).toBe(404);
    const next = await ports.create(TARGET);
    expect(portOf(next.endpoint.url)).toBe(portOf(first.endpoint.url));
    expect((await containerGet(next.endpoint.url, next.endpoint.authorizationToken)).status).toBe(200);
  });

  it('gives its port back only when the agent stops', async () => {
    const ports = start();
    const binding = await ports.create(TARGET);
    binding.dispose();
    expect(await portRefuses(portOf(binding.endpoint.url))).toBe(false);
    await ports.dispose();
    expect(await portRefuses(portOf(binding.endpoint.url))).toBe(true);
  });

  it('keeps listening for a create in flight when the last binding ends', async () => {
    const ports = start();
    const first = await ports.create(TARGET);
    const pending = ports.create(TARGET);
    first.dispose();
    const next = await pending;
    expect((await containerGet(next.endpoint.url, next.endpoint.authorizationToken)).status).toBe(200);
  });

  it('aborts a binding\'s signal when it ends, once, whoever ends it', async () => {
    const ports = start();
    const mine = await ports.create(TARGET);
    const other = await ports.create(TARGET);
    let ends = 0;
    other.ended.addEventListener('abort', () => (ends += 1));
    mine.dispose();
    expect(mine.ended.aborted).toBe(true);
    expect(other.ended.aborted).toBe(false);
    await ports.dispose();
    other.dispose();
    expect(ends).toBe(1);
    await expect(ports.create(TARGET)).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('refuses bindings over its cap with throttled, and frees the slot when one ends', async () => {
    const ports = start({ maxBindings: 2 });
    const first = await ports.create(TARGET);
    await ports.create(TARGET);
    await expect(ports.create(TARGET)).rejects.toMatchObject({ code: 'throttled' });
    first.dispose();
    await expect(ports.create(TARGET)).resolves.toMatchObject({ endpoint: { url: expect.any(String) } });
  });

  it.each([
    ['a header value with a NUL byte', (id: string) => `GET /v1/container-credentials/${id} HTTP/1.1\r\nHost: x\r\nAuthorization: \0\r\n\r\n`, 400, 'invalid_request'],
    ['no Host header', (id: string) => `GET /v1/container-credentials/${id} HTTP/1.1\r\nAuthorization: t\r\n\r\n`, 403, 'forbidden'],
  ])('answers a request with %s with a JSON error body, as the SDKs read every other refusal', async (_name, request, status, code) => {
    const ports = start();
    const binding = await ports.create(TARGET);
    const socket = await open(portOf(binding.endpoint.url));
    socket.pause();
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.resume();
    socket.write(request(binding.endpoint.id));
    await closedWithin(socket);
    const [head = '', body = ''] = Buffer.concat(chunks).toString('latin1').split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(head.toLowerCase()).toContain('content-type: application/json');
    expect(JSON.parse(body)).toEqual({ error: { code, message: expect.any(String) } });
  });

  it('closes a connection that never sends a byte after its short timeout', async () => {
    const ports = start({ limits: { silentConnectionTimeoutMs: 200 } });
    const binding = await ports.create(TARGET);
    const socket = await open(portOf(binding.endpoint.url));
    expect(await closedWithin(socket)).toBeLessThan(1000);
  });

  it('closes a connection whose headers trickle in past the request timeout', async () => {
    const ports = start({ limits: { requestTimeoutMs: 300 } });
    const binding = await ports.create(TARGET);
    const socket = await open(portOf(binding.endpoint.url));
    const closed = closedWithin(socket);
    socket.write(`GET /v1/container-credentials/${binding.endpoint.id} HTTP/1.1\r\n`);
    const timer = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 50);
    try {
      expect(await closed).toBeLessThan(2000);
    } finally {
      clearInterval(timer);
    }
  });

  it('lets a newcomer over the cap displace the oldest silent connection, and serves it', async () => {
    const ports = start({ limits: { maxConnections: 8, silentConnectionTimeoutMs: 10_000 } });
    const binding = await ports.create(TARGET);
    const port = portOf(binding.endpoint.url);
    const silent: Socket[] = [];
    for (let i = 0; i < 8; i += 1) silent.push(await open(port));
    const oldest = closedWithin(silent[0] as Socket);
    expect((await containerGet(binding.endpoint.url, binding.endpoint.authorizationToken)).status).toBe(200);
    expect(await oldest).toBeLessThan(1000);
    expect(silent.slice(1).every((socket) => !socket.destroyed)).toBe(true);
  });

  it('is not locked by more connections than its cap that pipeline requests and never read the answers: the SDK is served', async () => {
    const ports = start({ limits: { maxConnections: 8 } });
    const binding = await ports.create(TARGET);
    const port = portOf(binding.endpoint.url);
    // About 1 MiB of requests on each, twice as many connections as the cap.
    const flood = Buffer.from(`GET /v1/container-credentials/unknown HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`.repeat(20_000));
    for (let i = 0; i < 16; i += 1) openPipelining(port, flood);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { url, authorizationToken } = binding.endpoint;
    const answers = await Promise.all([1, 2, 3].map(() => containerGet(url, authorizationToken, 2000).then((answer) => answer.status, () => 0)));
    expect(answers).toEqual([200, 200, 200]);
  });

  it('never displaces a connection whose request is being answered', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const ports = start({
      limits: { maxConnections: 2 },
      credentialsFor: async () => {
        await slow;
        return CREDENTIALS;
      },
    });
    const binding = await ports.create(TARGET);
    const answers = [containerGet(binding.endpoint.url, binding.endpoint.authorizationToken), containerGet(binding.endpoint.url, binding.endpoint.authorizationToken)];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const newcomer = await open(portOf(binding.endpoint.url)).then(
      (socket) => closedWithin(socket),
      () => 0,
    );
    expect(newcomer).toBeLessThan(1000);
    release();
    expect((await Promise.all(answers)).map((answer) => answer.status)).toEqual([200, 200]);
  });
});
