import { afterEach, describe, expect, it } from 'vitest';
import { HttpIdentityCenterApis } from '../../../main/aws/http-identity-center-apis';
import { AccountDirectory } from '../../../main/core/account-directory';
import { isLatchkeyError } from '../../../main/core/errors';
import { InMemorySecretStore } from '../../../main/core/in-memory-secret-store';
import type { SessionEvent } from '../../../main/core/session-events';
import type { SsoSessionSettings } from '../../../main/core/sso-session-settings';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/emulator';
import { EmulatorAdmin } from '../../support/emulator-admin';
import { EmulatorDrivenClock } from '../../support/emulator-driven-clock';
import { engineOnEmulator } from '../../support/engine-on-emulator';
import { sessionTokensOver } from '../../support/session-fixture';

const session: SsoSessionSettings = {
  name: 'corp',
  startUrl: 'https://d-1234567890.awsapps.com/start',
  region: 'eu-west-1',
  registrationScopes: ['sso:account:access'],
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A browser that follows the authorize page's redirect to the loopback listener. */
async function followRedirect(url: string): Promise<void> {
  const authorize = await fetch(url, { redirect: 'manual' });
  const location = authorize.headers.get('location');
  if (authorize.status !== 302 || !location) throw new Error(`authorize answered ${authorize.status}`);
  await fetch(location);
}

async function setup(emulatorOptions: EmulatorOptions = {}) {
  const emulator: Emulator = await startEmulator({ port: 0, intervalSeconds: 1, ...emulatorOptions });
  cleanups.push(() => emulator.close());
  const emulatorAdmin = new EmulatorAdmin(emulator.baseUrl);
  const store = new InMemorySecretStore();
  const { engine, dispose } = engineOnEmulator(emulator.baseUrl, { store, openBrowser: followRedirect });
  cleanups.push(dispose);
  const events: SessionEvent[] = [];
  engine.events.on((event) => events.push(event));
  function admin(path: string, body?: unknown): Promise<unknown> {
    return emulatorAdmin.call(body === undefined ? 'GET' : 'POST', path, body);
  }
  return { emulator, engine, events, store, admin, calls: () => emulatorAdmin.calls() };
}

function userCodeOf(events: SessionEvent[]): string | undefined {
  for (const event of events) {
    if (event.type === 'sign-in-progress' && event.progress.type === 'code-issued') return event.progress.userCode;
  }
  return undefined;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('SignInEngine against the emulator', () => {
  it('signs in with the device code, never polling faster than the interval', async () => {
    const { engine, events, admin } = await setup();
    const signIn = engine.signIn(session, 'device-code');
    await until(() => userCodeOf(events) !== undefined);
    await until(() => events.filter((e) => e.type === 'sign-in-progress' && e.progress.type === 'waiting').length >= 3);
    await admin('approve', { userCode: userCodeOf(events) });
    const tokens = await signIn;
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(events.at(-1)).toMatchObject({ type: 'signed-in', session: 'corp' });
    const polls = (await admin('polls')) as Record<string, { intervalSeconds: number; gapsMs: number[] }>;
    const record = polls[userCodeOf(events) ?? ''];
    if (!record) throw new Error('the emulator recorded no polls for this code');
    expect(record.gapsMs.length).toBeGreaterThanOrEqual(2);
    for (const gap of record.gapsMs) expect(gap).toBeGreaterThanOrEqual(record.intervalSeconds * 1000);
  });

  it('signs in with PKCE through the loopback redirect', async () => {
    const { engine, events, calls } = await setup({ autoApprove: true });
    const tokens = await engine.signIn(session, 'pkce');
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(events.some((e) => e.type === 'sign-in-progress' && e.progress.type === 'browser-opening')).toBe(true);
    expect(await calls()).toMatchObject({ RegisterClient: 1, StartDeviceAuthorization: 0, CreateToken: 1 });
    await expect(engine.accessToken(session)).resolves.toBe(tokens.accessToken);
  });

  it('starts one flow for 100 concurrent sign-in requests', async () => {
    const { engine, calls } = await setup({ autoApprove: true });
    const results = await Promise.all(Array.from({ length: 100 }, () => engine.signIn(session, 'device-code')));
    expect(new Set(results.map((t) => t.accessToken)).size).toBe(1);
    expect(await calls()).toMatchObject({ RegisterClient: 1, StartDeviceAuthorization: 1 });
  });

  it('serves 100 concurrent callers of a session due for refresh at once, and refreshes it once behind them', async () => {
    const { emulator, admin, calls } = await setup({ autoApprove: true, tokenTtlSeconds: 300 });
    // Sleeps move the emulator's clock: half the five-minute token's life passes at once,
    // which puts it inside its refresh window. No engine: its refresher would sleep too.
    const clock = new EmulatorDrivenClock(new EmulatorAdmin(emulator.baseUrl));
    const apis = new HttpIdentityCenterApis({ env: { AWS_ENDPOINT_URL: emulator.baseUrl }, clock });
    cleanups.push(() => apis.dispose());
    const { tokens } = sessionTokensOver(clock, apis);
    const first = await tokens.signIn(session, { flow: 'device-code' });
    await clock.sleep(150_000);
    await admin('reset', {});
    const results = await Promise.all(Array.from({ length: 100 }, () => tokens.accessToken(session)));
    expect(new Set(results)).toEqual(new Set([first.accessToken]));
    const refreshed = await tokens.refreshInFlight(session.name);
    expect((await calls()).CreateToken).toBe(1);
    expect(refreshed?.accessToken).not.toBe(first.accessToken);
    await expect(tokens.accessToken(session)).resolves.toBe(refreshed?.accessToken);
  });

  it('serves role credentials to 200 concurrent callers with one GetRoleCredentials call', async () => {
    const { engine, calls } = await setup({ autoApprove: true });
    await engine.signIn(session, 'device-code');
    const results = await Promise.all(Array.from({ length: 200 }, () => engine.credentialsFor(session, '111111111111', 'Developer')));
    expect(new Set(results.map((c) => c.accessKeyId)).size).toBe(1);
    expect((results[0]?.expiresAtMs ?? 0) - Date.now()).toBeGreaterThan(15 * 60_000);
    expect((await calls()).GetRoleCredentials).toBe(1);
  });

  it('turns a token that AWS signed out into one signed-out event', async () => {
    const { engine, events, emulator } = await setup({ autoApprove: true });
    const tokens = await engine.signIn(session, 'device-code');
    const elsewhere = new HttpIdentityCenterApis({ env: { AWS_ENDPOINT_URL_SSO: emulator.baseUrl } });
    await elsewhere.portal(session.region).logout(tokens.accessToken);
    elsewhere.dispose();
    const error = await engine.credentialsFor(session, '111111111111', 'Developer').catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'signed_out')).toBe(true);
    expect(events.filter((e) => e.type === 'signed-out')).toEqual([{ type: 'signed-out', session: 'corp', reason: 'token-rejected' }]);
    await expect(engine.status('corp')).resolves.toMatchObject({ signedIn: false });
  });

  it('names the account and role when the role is not assigned', async () => {
    const { engine } = await setup({ autoApprove: true });
    await engine.signIn(session, 'device-code');
    const error = await engine.credentialsFor(session, '222222222222', 'Developer').catch((e: unknown) => e);
    expect(isLatchkeyError(error)).toBe(true);
    expect((error as Error).message).toContain('"Developer" in account 222222222222');
  });
});

describe('account discovery against a throttled emulator', () => {
  it('lists 500 accounts with 3 roles each through a portal throttled to 20 requests a second', async () => {
    const emulator = await startEmulator({ port: 0, autoApprove: true });
    cleanups.push(() => emulator.close());
    const admin = new EmulatorAdmin(emulator.baseUrl);
    // Backoff sleeps move the emulator's clock: the throttle is real, but no test time passes.
    // No engine here: its refresher would sleep for an hour and move the emulator with it.
    const clock = new EmulatorDrivenClock(admin);
    const apis = new HttpIdentityCenterApis({ env: { AWS_ENDPOINT_URL: emulator.baseUrl }, clock });
    cleanups.push(() => apis.dispose());
    const { tokens } = sessionTokensOver(clock, apis);
    await tokens.signIn(session, { flow: 'device-code' });
    await admin.call('POST', 'directory', { generate: { accounts: 500, rolesPerAccount: 3 } });
    await admin.call('POST', 'throttle', { operation: 'ListAccountRoles', perSecond: 20 });
    await admin.call('POST', 'throttle', { operation: 'ListAccounts', perSecond: 20 });
    const accounts = await new AccountDirectory({ apis, tokens, clock }).list(session);
    expect(accounts).toHaveLength(500);
    expect(accounts.every((account) => account.roles.length === 3)).toBe(true);
    const issued = await admin.calls();
    expect(issued.ListAccountRoles).toBeGreaterThan(500);
    expect(clock.sleeps.length).toBeGreaterThan(0);
  });
});
