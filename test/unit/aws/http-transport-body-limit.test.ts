import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpTransport, MAX_RESPONSE_BODY_BYTES } from '../../../main/aws/http-transport';
import type { RetrySafety } from '../../../main/aws/with-retries';
import { FakeClock } from '../../support/fake-clock';
import { fixedRandom } from '../../support/fixed-random';
import { sendJson, startStubServer, type StubHandler, type StubServer } from './support/stub-server';

// A hostile IAM Identity Center, proxy or endpoint override streaming a huge body once
// made the agent buffer all of it: 1.8 GB of RSS for 800 MB, a V8 fatal error past 2 GiB.

const MiB = 1024 * 1024;
const CREDENTIALS = { accessKeyId: 'AKIA', secretAccessKey: 's', sessionToken: 't', expiration: 1 };
/** What the hostile server would send in all: far past the limit, and valid JSON once it ends. */
const HOSTILE_BODY_BYTES = 256 * MiB;
const CHUNK = Buffer.alloc(64 * 1024, 0x20);

let stub: StubServer | undefined;
let transport: HttpTransport | undefined;

afterEach(async () => {
  transport?.close();
  await stub?.close();
  stub = undefined;
  transport = undefined;
});

interface Streamed {
  /** Body bytes the server got into its socket before the client went away. */
  bytesWritten: number;
}

/**
 * Answers `status` with `{"roleCredentials":{...}` + spaces + `}`, HOSTILE_BODY_BYTES in
 * all, written as fast as the client reads and stopped when the client closes.
 */
function hugeBody(status: number, streamed: Streamed, headers: Record<string, string> = {}): StubHandler {
  return (_request, res) => {
    const head = `{"roleCredentials":${JSON.stringify(CREDENTIALS)}`;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.write(head);
    streamed.bytesWritten = head.length;
    pump(res, streamed);
  };
}

function pump(res: ServerResponse, streamed: Streamed): void {
  while (!res.destroyed && streamed.bytesWritten + CHUNK.length < HOSTILE_BODY_BYTES) {
    streamed.bytesWritten += CHUNK.length;
    if (!res.write(CHUNK)) {
      res.once('drain', () => pump(res, streamed));
      return;
    }
  }
  if (!res.destroyed) res.end('}');
}

async function setUp(handler: StubHandler, maxAttempts = 1): Promise<HttpTransport> {
  stub = await startStubServer(handler);
  transport = new HttpTransport({
    baseUrl: stub.baseUrl,
    env: {},
    clock: new FakeClock({ autoAdvance: true }),
    random: fixedRandom(0.5),
    timing: { maxAttempts },
  });
  return transport;
}

function getCredentials(client: HttpTransport, safety: RetrySafety = 'repeatable') {
  return client.call({ operation: 'GetRoleCredentials', method: 'GET', path: 'federation/credentials', safety });
}

/** Runs `work` and returns the highest RSS growth seen while it ran, sampled every 5 ms. */
async function peakRssGrowth(work: () => Promise<unknown>): Promise<number> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage.rss()) - baseline;
}

describe('HttpTransport response body limit', () => {
  it('accepts a body just under the limit', async () => {
    const padding = ' '.repeat(MAX_RESPONSE_BODY_BYTES - 200);
    const client = await setUp((_request, res) => {
      const text = `{"roleCredentials":${JSON.stringify(CREDENTIALS)}${padding}}`;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
    await expect(getCredentials(client)).resolves.toEqual({ roleCredentials: CREDENTIALS });
  });

  it('fails a streamed body over the limit promptly with malformed_response, without reading the rest or growing memory', async () => {
    const streamed: Streamed = { bytesWritten: 0 };
    const client = await setUp(hugeBody(200, streamed));
    // Warm: the first call's code and buffers are not the body's.
    const warm = await startStubServer((_request, res) => sendJson(res, 200, { roleCredentials: CREDENTIALS }));
    const warmClient = new HttpTransport({ baseUrl: warm.baseUrl, env: {} });
    await getCredentials(warmClient);
    warmClient.close();
    await warm.close();

    let outcome: unknown;
    const started = Date.now();
    const growth = await peakRssGrowth(() => getCredentials(client).then(() => (outcome = 'resolved'), (error: unknown) => (outcome = error)));
    const tookMs = Date.now() - started;
    expect(outcome).toMatchObject({
      code: 'malformed_response',
      operation: 'GetRoleCredentials',
      retryable: true,
      message: expect.stringContaining('larger than 1 MiB'),
    });
    expect(tookMs).toBeLessThan(2000);
    expect(growth, `RSS grew by ${(growth / MiB).toFixed(1)} MiB`).toBeLessThan(16 * MAX_RESPONSE_BODY_BYTES);
    // What the server got into its socket is the limit plus what the kernel buffers hold.
    expect(streamed.bytesWritten).toBeLessThan(HOSTILE_BODY_BYTES / 8);
  });

  it('fails a body whose Content-Length is over the limit before reading any of it', async () => {
    const streamed: Streamed = { bytesWritten: 0 };
    const client = await setUp(hugeBody(200, streamed, { 'content-length': String(HOSTILE_BODY_BYTES) }));
    await expect(getCredentials(client)).rejects.toMatchObject({ code: 'malformed_response' });
    expect(streamed.bytesWritten).toBeLessThan(HOSTILE_BODY_BYTES / 8);
  });

  it('counts a compressed body by its size once decompressed', async () => {
    const bomb = gzipSync(`{"roleCredentials":${JSON.stringify(CREDENTIALS)}${' '.repeat(16 * MiB)}}`);
    expect(bomb.length).toBeLessThan(MAX_RESPONSE_BODY_BYTES);
    const client = await setUp((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
      res.end(bomb);
    });
    await expect(getCredentials(client)).rejects.toMatchObject({ code: 'malformed_response' });
  });

  it('bounds an error answer the same way', async () => {
    const streamed: Streamed = { bytesWritten: 0 };
    const client = await setUp(hugeBody(500, streamed));
    await expect(getCredentials(client)).rejects.toMatchObject({ code: 'malformed_response' });
    expect(streamed.bytesWritten).toBeLessThan(HOSTILE_BODY_BYTES / 8);
  });

  it.each<[RetrySafety, number]>([
    ['repeatable', 2],
    ['single-use', 1],
  ])('retries a %s call as it would a body cut short: %i attempt(s)', async (safety, attempts) => {
    const client = await setUp(hugeBody(200, { bytesWritten: 0 }), 2);
    await expect(getCredentials(client, safety)).rejects.toMatchObject({ code: 'malformed_response' });
    expect(stub?.requests).toHaveLength(attempts);
  });
});
