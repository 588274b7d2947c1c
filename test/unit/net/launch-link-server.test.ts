import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isLatchkeyError } from '../../../main/core/errors';
import { LaunchLinkRegistry } from '../../../main/core/launch-link-registry';
import { LAUNCH_LINK_REUSED_MESSAGE } from '../../../main/core/launch-links';
import { startLaunchLinkServer, type LaunchLinkServer } from '../../../main/net/launch-link-server';

const TARGET = 'https://device.sso.us-east-1.amazonaws.com/?user_code=BCDF-GHJK';
let registry = new LaunchLinkRegistry();

afterEach(async () => {
  await registry.dispose();
  registry = new LaunchLinkRegistry();
});

async function started(holdMs = 60_000): Promise<{ server: LaunchLinkServer; link: string; port: number }> {
  const server = await startLaunchLinkServer({ target: TARGET, registry, holdMs });
  const link = registry.mint(TARGET);
  if (link === undefined) throw new Error('the server did not register its target');
  return { server, link, port: Number(new URL(link).port) };
}

function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(received));
    socket.write(request);
  });
}

function connectError(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      reject(new Error('still accepts connections'));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

describe("the device code's launch link server", () => {
  it('redirects the first GET of a link to the verification page, uncached and without a referrer', async () => {
    const { link } = await started();
    expect(link).not.toContain('BCDF');
    const response = await fetch(link, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(TARGET);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('reports misuse with the one sentence when a link is fetched again, and the page says so', async () => {
    const { server, link } = await started();
    const misuse = server.misuse.catch((error: unknown) => error);
    await (await fetch(link, { redirect: 'manual' })).text();
    const second = await fetch(link, { redirect: 'manual' });
    expect(second.status).toBe(409);
    expect(await second.text()).toContain('The sign-in link was opened twice');
    const error = await misuse;
    expect(isLatchkeyError(error, 'forbidden')).toBe(true);
    expect((error as Error).message).toBe(LAUNCH_LINK_REUSED_MESSAGE);
  });

  it.each([
    ['a rebound Host', (path: string) => `GET ${path} HTTP/1.1\r\nHost: evil.example\r\n\r\n`, 400],
    ['a POST', (path: string, port: number) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, 404],
    ['another path', (_path: string, port: number) => `GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, 404],
  ])('refuses %s without spending the link', async (_name, request, status) => {
    const { link, port } = await started();
    expect(await raw(port, request(new URL(link).pathname, port))).toMatch(new RegExp(`^HTTP/1\\.1 ${status}`));
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(302);
  });

  it('keeps its port bound when its flow ends, so no other user can take it and answer a late browser', async () => {
    const { server, link, port } = await started();
    await server.close();
    expect(registry.mint(TARGET)).toBeUndefined();
    expect(registry.isLive(link)).toBe(false);
    // A browser that comes late gets "already finished" from Latchkey, never a stranger's page.
    const late = await fetch(link, { redirect: 'manual' });
    expect(late.status).not.toBe(302);
    expect(late.headers.get('location')).toBeNull();
    expect(await raw(port, `GET /x HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 404/);
  });

  it('gives the port back when the hold ends (the code has expired)', async () => {
    const { server, port } = await started(200);
    await server.close();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await connectError(port)).toBe('ECONNREFUSED');
  });

  it('gives the port back at once when the agent stops (the registry disposes its sites)', async () => {
    const { port } = await started();
    await registry.dispose();
    expect(await connectError(port)).toBe('ECONNREFUSED');
  });
});
