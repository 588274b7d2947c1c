import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentClient } from '../../../main/cli/agent-client';

// AgentClient.openStream, which `latchkey exec` holds its binding with (POST /v1/exec-endpoints).

let dir: string;
let server: Server | undefined;
const requests: { method: string; url: string; body: string }[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lk-as-'));
});

afterEach(async () => {
  requests.splice(0);
  await new Promise<void>((resolve) => {
    if (server === undefined) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function serve(answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<AgentClient> {
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', body });
      answer(request, response);
    });
  });
  const path = join(dir, 'a.sock');
  await new Promise<void>((resolve) => server?.listen(path, resolve));
  await chmod(path, 0o600);
  return new AgentClient(path);
}

describe('AgentClient.openStream', () => {
  it('sends the JSON body and passes each event on until the agent ends the stream', async () => {
    const client = await serve((_request, response) => {
      response.writeHead(201, { 'Content-Type': 'text/event-stream' });
      response.write('data: {"n":1}\n\n');
      setTimeout(() => response.end('data: {"n":2}\n\n'), 20);
    });
    const events: unknown[] = [];
    const stream = await client.openStream({ method: 'POST', path: '/v1/exec-endpoints', body: { profile: 'dev' } }, (event) => events.push(event));
    await stream.closed;
    expect(events).toEqual([{ n: 1 }, { n: 2 }]);
    expect(requests).toEqual([{ method: 'POST', url: '/v1/exec-endpoints', body: '{"profile":"dev"}' }]);
  });

  it('rejects with the agent\'s error when it refuses the request', async () => {
    const client = await serve((_request, response) => {
      response.writeHead(404, { 'Content-Type': 'application/json' });
      response.end('{"error":{"code":"not_found","message":"There is no profile \\"nope\\"."}}');
    });
    await expect(client.openStream({ method: 'POST', path: '/v1/exec-endpoints', body: { profile: 'nope' } }, () => undefined)).rejects.toMatchObject({
      code: 'not_found',
      message: 'There is no profile "nope".',
    });
  });

  it('ends the stream, not the process, on an event that is not JSON', async () => {
    const client = await serve((_request, response) => {
      response.writeHead(201, { 'Content-Type': 'text/event-stream' });
      response.write('data: {not json\n\n');
    });
    const events: unknown[] = [];
    const stream = await client.openStream({ method: 'POST', path: '/v1/exec-endpoints', body: {} }, (event) => events.push(event));
    await stream.closed;
    expect(events).toEqual([]);
  });

  it('closes the connection on close(), which the agent sees', async () => {
    let seen: Promise<void> | undefined;
    const client = await serve((_request, response) => {
      seen = new Promise((resolve) => response.once('close', () => resolve()));
      response.writeHead(201, { 'Content-Type': 'text/event-stream' });
      response.write('data: {}\n\n');
    });
    const stream = await client.openStream({ method: 'GET', path: '/v1/events' }, () => undefined);
    stream.close();
    await stream.closed;
    await seen;
  });
});

describe('AgentClient.callWithProgress', () => {
  const read = (body: unknown): unknown => body;

  it('takes a plain JSON answer as the answer, as an older agent or a kept listing sends it', async () => {
    const client = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"accounts":[]}');
    });
    const heard: unknown[] = [];
    await expect(client.callWithProgress({ method: 'GET', path: '/v1/sessions/corp/accounts', read }, (e) => heard.push(e))).resolves.toEqual({ accounts: [] });
    expect(heard).toEqual([]);
  });

  it('rejects a plain JSON answer that runs past the answer cap with malformed_response, having read no more than the cap', async () => {
    const client = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      // Endless, as a runaway agent's answer would be.
      const pump = (): void => {
        while (!response.destroyed && response.write(chunk)) continue;
      };
      response.on('drain', pump);
      pump();
    });
    await expect(client.callWithProgress({ method: 'GET', path: '/v1/sessions/corp/accounts', read }, () => undefined)).rejects.toMatchObject({
      code: 'malformed_response',
      message: 'The Latchkey agent sent an answer larger than 16 MiB; the CLI stopped reading it.',
    });
  });

  it('passes progress events on and answers with the last event', async () => {
    const client = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write('data: {"type":"progress","accountsListed":0,"accountsTotal":2}\n\n');
      setTimeout(() => response.end('data: {"type":"progress","accountsListed":2,"accountsTotal":2}\n\ndata: {"type":"accounts","accounts":[]}\n\n'), 20);
    });
    const heard: unknown[] = [];
    const answer = await client.callWithProgress({ method: 'GET', path: '/v1/sessions/corp/accounts', read }, (e) => heard.push(e));
    expect(answer).toEqual({ type: 'accounts', accounts: [] });
    expect(heard).toEqual([
      { type: 'progress', accountsListed: 0, accountsTotal: 2 },
      { type: 'progress', accountsListed: 2, accountsTotal: 2 },
    ]);
  });

  it('rejects with the error an error event carries, code and message as the agent sent them', async () => {
    const client = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write('data: {"type":"progress","accountsListed":0,"accountsTotal":2}\n\n');
      response.end('data: {"type":"error","status":429,"error":{"code":"throttled","message":"The portal is throttling."}}\n\n');
    });
    await expect(client.callWithProgress({ method: 'GET', path: '/x', read }, () => undefined)).rejects.toMatchObject({
      code: 'throttled',
      message: 'The portal is throttling.',
    });
  });

  it('rejects with malformed_response, not an uncaught exception, on an event that never ends', async () => {
    const client = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write(`data: ${'x'.repeat(1024 * 1024)}`);
    });
    await expect(client.callWithProgress({ method: 'GET', path: '/x', read }, () => undefined)).rejects.toMatchObject({ code: 'malformed_response' });
  });

  it('ends the stream, not the process, on an event that never ends', async () => {
    const client = await serve((_request, response) => {
      response.writeHead(201, { 'Content-Type': 'text/event-stream' });
      response.write(`data: ${'x'.repeat(1024 * 1024)}`);
    });
    const stream = await client.openStream({ method: 'POST', path: '/v1/exec-endpoints', body: {} }, () => undefined);
    await stream.closed;
  });

  it('says the agent stopped when the stream ends before its answer', async () => {
    const client = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write('data: {"type":"progress","accountsListed":0,"accountsTotal":2}\n\n');
      setTimeout(() => response.destroy(), 20);
    });
    await expect(client.callWithProgress({ method: 'GET', path: '/x', read }, () => undefined)).rejects.toThrow(/^The Latchkey agent stopped before it answered/);
  });

  it('times out after a silence longer than its budget, however long the answer takes in all', async () => {
    const client = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write('data: {"type":"progress","accountsListed":0,"accountsTotal":2}\n\n');
    });
    await expect(client.callWithProgress({ method: 'GET', path: '/x', read, timeoutMs: 100 }, () => undefined)).rejects.toMatchObject({ code: 'timeout' });
  });
});
