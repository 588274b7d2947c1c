import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentHarness } from './agent-harness';
import { EventStream } from './event-stream';

/** Small limits so the timeouts and the connection cap bite within a test. */
const LIMITS = {
  headersTimeoutMs: 300,
  requestTimeoutMs: 600,
  keepAliveTimeoutMs: 200,
  maxConnections: 8,
  silentConnectionTimeoutMs: 300,
  maxBodyBytes: 64 * 1024,
  maxHeaderBytes: 16 * 1024,
};

let harness: AgentHarness;
const sockets: Socket[] = [];

beforeEach(async () => {
  harness = await AgentHarness.start({ agent: { limits: LIMITS } });
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await harness.close();
});

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path: harness.socketPath });
    sockets.push(socket);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes raw bytes and collects whatever comes back until the agent closes the connection. */
async function raw(bytes: string | Buffer): Promise<string> {
  const socket = await open();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(bytes);
  });
}

function closedWithin(socket: Socket): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    socket.on('error', () => undefined);
    // Reading is what lets the agent's closing FIN arrive as 'end' and then 'close'.
    socket.resume();
    socket.once('close', () => resolve(Date.now() - started));
  });
}

async function expectStillServing(): Promise<void> {
  const status = await harness.request('GET', '/v1/status');
  expect(status.status).toBe(200);
}

describe('the agent under abuse', () => {
  it.each([
    ['garbage bytes', '\u0000\u0001garbage\r\n\r\n'],
    ['a bad request line', 'HELLO WORLD\r\n\r\n'],
    ['a header without a colon', 'GET /v1/status HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n'],
    ['a conflicting content length', 'POST /v1/sign-out HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'],
  ])('answers %s with 400, closes the connection, and keeps serving', async (_name, bytes) => {
    const answer = await raw(bytes);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('"code":"invalid_request"');
    await expectStillServing();
  });

  // Node's HTTP parser lets these absolute-form targets through; the URL parser refuses them, which answered 500 internal_error.
  it.each(['http://[::1', 'http://x:99999/v1/status', 'http://%/v1/status'])('answers the request target %s with 400 invalid_request and keeps serving', async (target) => {
    const answer = await raw(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('{"error":{"code":"invalid_request","message":"The request target is not a valid path."}}');
    await expectStillServing();
  });

  // Read against a base URL, `//x/v1/status` was served as /v1/status and `//[` answered 500.
  it.each(['//x/v1/status', '//[', '//x:99999'])('reads the origin-form target %s as a path, not as a host', async (target) => {
    const answer = await raw(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(answer).toContain(`There is no route ${target};`);
  });

  // Node's own answers to these were a bare 400 and a bare 417, without the error body every caller reads.
  it('serves a request without a Host header: on a Unix socket there is no host to check', async () => {
    const answer = await raw('GET /v1/status HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it('answers an Expect other than 100-continue with 417 invalid_request and keeps serving', async () => {
    const answer = await raw('POST /v1/sign-out HTTP/1.1\r\nHost: x\r\nExpect: 0100-continue\r\nContent-Length: 2\r\n\r\n{}');
    expect(answer).toMatch(/^HTTP\/1\.1 417 Expectation Failed\r\n/);
    expect(answer).toContain('{"error":{"code":"invalid_request","message":"The agent takes no Expect header but 100-continue."}}');
    await expectStillServing();
  });

  it('answers bad JSON with 400 invalid_request', async () => {
    const response = await harness.request('POST', '/v1/sessions/corp/sign-in', { body: '{"flow":' });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: { code: 'invalid_request', message: 'The request body is not valid JSON.' } });
    await expectStillServing();
  });

  it('answers a body over 64 KiB with 413', async () => {
    const response = await harness.request('POST', '/v1/sessions/corp/sign-in', { body: `"${'x'.repeat(70 * 1024)}"` });
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ error: { code: 'payload_too_large' } });
    await expectStillServing();
  });

  it('answers an oversized chunked body with 413 without reading all of it', async () => {
    const chunk = 'x'.repeat(32 * 1024);
    const chunked = `${(chunk.length).toString(16)}\r\n${chunk}\r\n`.repeat(4);
    const answer = await raw(`POST /v1/sign-out HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}`);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    await expectStillServing();
  });

  it('answers headers over 16 KiB with 431', async () => {
    const answer = await raw(`GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(17 * 1024)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    await expectStillServing();
  });

  it('drops a connection that trickles its headers (slowloris)', async () => {
    const socket = await open();
    const closed = closedWithin(socket);
    socket.write('GET /v1/status HTTP/1.1\r\nHost: x\r\n');
    const timer = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 50);
    try {
      expect(await closed).toBeLessThan(3000);
    } finally {
      clearInterval(timer);
    }
    await expectStillServing();
  });

  it('drops a connection that never sends anything', async () => {
    const socket = await open();
    expect(await closedWithin(socket)).toBeLessThan(3000);
    await expectStillServing();
  });

  it('drops an idle keep-alive connection after its answer', async () => {
    const socket = await open();
    const closed = closedWithin(socket);
    socket.write('GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await closed).toBeLessThan(3000);
  });

  it('makes room over the cap by closing the oldest connection that is not being answered', async () => {
    const held = await Promise.all(Array.from({ length: LIMITS.maxConnections }, () => open()));
    const oldest = closedWithin(held[0] as Socket);
    await open();
    expect(await oldest).toBeLessThan(LIMITS.silentConnectionTimeoutMs);
    await expectStillServing();
  });

  it('refuses a connection over the cap at once when every connection is being answered', async () => {
    const streams = await Promise.all(Array.from({ length: LIMITS.maxConnections }, () => EventStream.open(harness.socketPath)));
    try {
      const extra = await open();
      // The server closes it without a word, and long before the silent timeout would.
      expect(await closedWithin(extra)).toBeLessThan(LIMITS.silentConnectionTimeoutMs / 2);
      expect(streams.some((stream) => stream.ended)).toBe(false);
    } finally {
      for (const stream of streams) stream.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expectStillServing();
  });

  it('keeps serving after a caller disconnects in the middle of a body', async () => {
    const socket = await open();
    socket.write('POST /v1/sign-out HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":');
    socket.destroy();
    await expectStillServing();
  });
});
