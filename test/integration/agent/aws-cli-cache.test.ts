import { existsSync } from 'node:fs';
import { LogoutCommand, SSOClient } from '@aws-sdk/client-sso';
import { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildAgentChild } from './fixtures/build-agent-child';
import { startAgent, type RunningAgent } from '../../../main/agent/agent';
import { awsSsoCacheFilePath } from '../../../main/aws/aws-sso-cache-file';
import { InMemorySecretStore } from '../../../main/core/in-memory-secret-store';
import type { Clock } from '../../../main/core/clock';
import { silentLogger, type Logger } from '../../../main/core/logger';
import type { AgentEvent } from '../../../main/agent/agent-event';
import { startEmulator, type Emulator } from '../../emulator/emulator';
import { EmulatorAdmin } from '../../support/emulator-admin';
import { makeFifo, releaseFifo, within } from '../../support/fifo';
import { ShiftedClock } from '../../support/shifted-clock';
import { newerBotocorePython, pythonSdkSkipReason, runAwsCli, runPython } from '../../support/python-sdk';
import { createSecondUser, secondUserSkipReason, type SecondUser } from '../../support/second-user';
import { agentRequest, shortTempDir } from './agent-harness';

const START_URL = 'https://corp.example.com/start';
const REGION = 'us-east-1';

function config(sync: boolean): string {
  return [
    '[sso-session corp]',
    `sso_start_url = ${START_URL}`,
    `sso_region = ${REGION}`,
    ...(sync ? ['latchkey_sync_aws_cache = true'] : []),
    '',
    '[profile dev]',
    'sso_session = corp',
    'sso_account_id = 111111111111',
    'sso_role_name = Developer',
    '',
  ].join('\n');
}

interface World {
  emulator: Emulator;
  admin: EmulatorAdmin;
  dir: string;
  agent?: RunningAgent;
  events: AgentEvent[];
}

let world: World | undefined;

afterEach(async () => {
  if (world === undefined) return;
  await world.agent?.close();
  await world.emulator.close();
  await rm(world.dir, { recursive: true, force: true });
  world = undefined;
});

async function setUp(options: { sync?: boolean } = {}): Promise<World> {
  const emulator = await startEmulator({ port: 0, autoApprove: true, seed: 'aws-cli-cache' });
  const dir = await shortTempDir();
  await writeFile(join(dir, 'config'), config(options.sync ?? false));
  world = { emulator, admin: new EmulatorAdmin(emulator.baseUrl), dir, events: [] };
  return world;
}

async function start(w: World, logger: Logger = silentLogger, clock?: Clock): Promise<RunningAgent> {
  w.agent = await startAgent({
    clock,
    env: { AWS_CONFIG_FILE: join(w.dir, 'config'), AWS_ENDPOINT_URL_SSO_OIDC: w.emulator.baseUrl, AWS_ENDPOINT_URL_SSO: w.emulator.baseUrl },
    platform: process.platform,
    homeDir: w.dir,
    socketPath: join(w.dir, 'a.sock'),
    secretStore: new InMemorySecretStore(),
    logger,
    openBrowser: async (url) => {
      if (url.includes('/authorize?')) await fetch(url).then((response) => response.text());
    },
  });
  w.agent.events.on((event) => w.events.push(event));
  return w.agent;
}

/**
 * What `aws sso login` does, with the AWS SDK's own OIDC client: register with the
 * refresh grant, run the device flow (the emulator approves at once), and write the
 * token to the cache file the AWS CLI uses.
 */
async function awsCliSignIn(w: World): Promise<{ accessToken: string }> {
  const oidc = new SSOOIDCClient({ region: REGION, endpoint: w.emulator.baseUrl });
  try {
    const client = await oidc.send(
      new RegisterClientCommand({
        clientName: 'botocore-client-corp',
        clientType: 'public',
        scopes: ['sso:account:access'],
        grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      }),
    );
    const device = await oidc.send(
      new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: START_URL }),
    );
    const token = await oidc.send(
      new CreateTokenCommand({
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        grantType: 'urn:ietf:params:oauth:grant-type:device_code',
        deviceCode: device.deviceCode,
      }),
    );
    const file = awsSsoCacheFilePath(w.dir, 'corp');
    await mkdir(join(w.dir, '.aws', 'sso', 'cache'), { recursive: true, mode: 0o700 });
    const seconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await writeFile(
      file,
      JSON.stringify({
        startUrl: START_URL,
        region: REGION,
        accessToken: token.accessToken,
        expiresAt: seconds(Date.now() + (token.expiresIn ?? 0) * 1000),
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        registrationExpiresAt: seconds((client.clientSecretExpiresAt ?? 0) * 1000),
        refreshToken: token.refreshToken,
      }),
      { mode: 0o600 },
    );
    return { accessToken: token.accessToken ?? '' };
  } finally {
    oidc.destroy();
  }
}

async function credentials(agent: RunningAgent): Promise<{ status: number; json: unknown }> {
  return agentRequest(agent.socketPath, 'GET', '/v1/credentials?profile=dev');
}

async function sessionStatus(agent: RunningAgent | undefined): Promise<unknown> {
  const status = await agentRequest(agent?.socketPath ?? '', 'GET', '/v1/status');
  return (status.json as { sessions: unknown[] }).sessions[0];
}

async function issuedKeyIds(w: World): Promise<string[]> {
  return ((await w.admin.call('GET', 'issued-credentials')) as Array<{ accessKeyId: string }>).map((c) => c.accessKeyId);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the AWS CLI SSO cache', () => {
  it('a user signed in with the AWS CLI gets role credentials from a fresh agent without signing in again', async () => {
    const w = await setUp();
    await awsCliSignIn(w);
    await w.admin.call('POST', 'reset');
    const agent = await start(w);
    const answer = await credentials(agent);
    expect(answer.status).toBe(200);
    expect((answer.json as { AccessKeyId: string }).AccessKeyId).toBe((await issuedKeyIds(w)).at(-1));
    const calls = await w.admin.calls();
    expect(calls).toMatchObject({ RegisterClient: 0, StartDeviceAuthorization: 0, GetRoleCredentials: 1 });
    expect(w.events.filter((event) => event.type === 'signed-in')).toHaveLength(1);
  });

  it('imports at start, with no request needed, and announces signed-in once', async () => {
    const w = await setUp();
    await awsCliSignIn(w);
    await start(w);
    await until(async () => w.events.some((event) => event.type === 'signed-in'), 'signed-in');
    expect(w.events.filter((event) => event.type === 'signed-in')).toHaveLength(1);
    expect(await sessionStatus(w.agent)).toMatchObject({ name: 'corp', state: 'signed-in' });
  });

  it('imports before answering a signed-out request when the AWS CLI signed in after the agent started', async () => {
    const w = await setUp();
    const agent = await start(w);
    const before = await credentials(agent);
    expect(before.status).toBe(401);
    await awsCliSignIn(w);
    const after = await credentials(agent);
    expect(after.status).toBe(200);
    expect((await w.admin.calls()).StartDeviceAuthorization).toBe(1); // the AWS CLI's, none of Latchkey's
  });

  it('imports the registration too, so the agent refreshes the imported token itself', async () => {
    const w = await setUp();
    await awsCliSignIn(w);
    const agent = await start(w);
    expect((await credentials(agent)).status).toBe(200);
    expect(await sessionStatus(agent)).toMatchObject({ state: 'signed-in', refreshable: true });
  });

  it('ignores an AWS CLI token for another portal', async () => {
    const w = await setUp();
    await awsCliSignIn(w);
    const file = awsSsoCacheFilePath(w.dir, 'corp');
    const entry = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    await writeFile(file, JSON.stringify({ ...entry, startUrl: 'https://other.example.com/start' }));
    const agent = await start(w);
    expect((await credentials(agent)).status).toBe(401);
  });

  it('exports each sign-in with latchkey_sync_aws_cache, 0600, and removes its own token on sign-out', async () => {
    const w = await setUp({ sync: true });
    const agent = await start(w);
    const started = await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in', { body: { flow: 'pkce' } });
    expect(started.status).toBe(202);
    expect((await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=10')).status).toBe(200);
    const token = (await agentRequest(agent.socketPath, 'GET', '/v1/sessions/corp/token')).json as { accessToken: string };
    const file = awsSsoCacheFilePath(w.dir, 'corp');
    await until(async () => (await readFile(file, 'utf8').catch(() => '')).includes(token.accessToken), 'the export');
    const entry = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(entry)).toEqual(['startUrl', 'region', 'accessToken', 'expiresAt', 'clientId', 'clientSecret', 'registrationExpiresAt', 'refreshToken']);
    expect(entry['expiresAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    expect((await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-out')).status).toBe(204);
    // Gone by the time the sign-out answers: an agent killed just after would otherwise
    // leave the dead token's file for the next agent to import (the durability soak found it).
    expect(existsSync(file), 'the cache file once the sign-out answered').toBe(false);
    expect((await credentials(agent)).status).toBe(401);
  });

  it('keeps an AWS CLI token it did not hold on sign-out, and does not import it until the next Latchkey sign-in', async () => {
    const w = await setUp({ sync: true });
    const agent = await start(w);
    await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in', { body: { flow: 'pkce' } });
    await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=10');
    const file = awsSsoCacheFilePath(w.dir, 'corp');
    await until(async () => (await readFile(file, 'utf8').catch(() => '')) !== '', 'the export');
    const { accessToken } = await awsCliSignIn(w);
    await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-out');
    // Sign-out is what the person asked for: the AWS CLI's own sign-in does not undo it.
    expect((await credentials(agent)).status).toBe(401);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ accessToken });
  });
});

/** Warnings as the agent logs them (message and fields); nothing else. */
function warningLogger(): Logger & { warnings: Array<{ message: string; fields?: Record<string, unknown> }> } {
  const warnings: Array<{ message: string; fields?: Record<string, unknown> }> = [];
  return { ...silentLogger, warnings, warn: (message, fields) => void warnings.push({ message, fields }) };
}

const MINUTE_MS = 60_000;

type SdkClient = 'js-sdk' | 'botocore' | 'newer-botocore';
const pythonSkip = pythonSdkSkipReason();
if (pythonSkip !== undefined) console.warn(`Shared sign-in tests with botocore skipped: ${pythonSkip}.`);
const newer = newerBotocorePython();
if (newer === undefined) console.warn('Shared sign-in tests with a newer botocore skipped: no python3 on PATH besides Debian\'s has botocore 1.31 or later.');
const clients: SdkClient[] = [
  'js-sdk',
  ...(pythonSkip === undefined ? (['botocore'] as const) : []),
  ...(newer !== undefined ? (['newer-botocore'] as const) : []),
];
/** Each client's own refresh window: it renews a token with less than this left. */
const WINDOW_MS: Record<SdkClient, number> = { 'js-sdk': 5 * MINUTE_MS, botocore: 15 * MINUTE_MS, 'newer-botocore': 15 * MINUTE_MS };

/**
 * Has the SDK's own SSO token provider use the cache file with the token expiring inside
 * its refresh window by the SDK's clock (the real one): it refreshes with the refresh
 * token in the file and writes the result back, as it would in the last minutes of the
 * token's life. The expiry it wrote is then moved into the agent's time (the agent's
 * clock runs ahead of the real one by what the test advanced; on a machine both read the
 * same clock).
 * Returns the token it ends up with.
 */
async function sdkTokenNearExpiry(w: World, client: SdkClient, clock: ShiftedClock): Promise<string> {
  const file = awsSsoCacheFilePath(w.dir, 'corp');
  const entry = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
  const nearExpiry = new Date(Date.now() + WINDOW_MS[client] - MINUTE_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await writeFile(file, JSON.stringify({ ...entry, expiresAt: nearExpiry }), { mode: 0o600 });
  const env = { HOME: w.dir, AWS_CONFIG_FILE: join(w.dir, 'config') };
  const run =
    client === 'js-sdk'
      ? await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          execFile(
            process.execPath,
            [join(__dirname, 'fixtures', 'sdk-sso-token.mjs'), 'dev'],
            { env: { ...env, PATH: process.env.PATH ?? '', AWS_ENDPOINT_URL_SSO_OIDC: w.emulator.baseUrl } },
            (error, stdout, stderr) => resolve({ code: error === null ? 0 : 1, stdout, stderr }),
          );
        })
      : await runPython(
          [
            'import json, logging, botocore.session',
            "logging.basicConfig(level=logging.INFO, format='%(name)s %(levelname)s %(message)s')",
            'from botocore.tokens import SSOTokenProvider',
            "token = SSOTokenProvider(botocore.session.Session(profile='dev')).load_token().get_frozen_token()",
            "print(json.dumps({'token': token.token}))",
          ].join('\n'),
          client === 'botocore'
            ? { ...env, LATCHKEY_TEST_SSO_ENDPOINT: w.emulator.baseUrl }
            : // Reads the service endpoint variable itself, as a user's botocore would.
              { ...env, AWS_ENDPOINT_URL_SSO_OIDC: w.emulator.baseUrl },
          20_000,
          client === 'newer-botocore' && newer !== undefined ? newer.python : undefined,
        );
  if (run.code !== 0) throw new Error(`the ${client} token provider failed: ${run.stderr}`);
  lastSdkLog = run.stderr;
  const written = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
  const inAgentTime = new Date(Date.parse(written['expiresAt'] ?? '') + clock.aheadMs).toISOString();
  await writeFile(file, JSON.stringify({ ...written, expiresAt: inAgentTime }), { mode: 0o600 });
  return (JSON.parse(run.stdout) as { token: string }).token;
}

/** What the SDK's token provider logged in its last run (botocore logs why a refresh failed). */
let lastSdkLog = '';

async function cachedAccessToken(w: World): Promise<string> {
  return (JSON.parse(await readFile(awsSsoCacheFilePath(w.dir, 'corp'), 'utf8')) as { accessToken: string }).accessToken;
}

/** The agent's clock: the real one, moved ahead when a test says. */
function agentClock(): ShiftedClock {
  return new ShiftedClock();
}

/**
 * Moves the agent's and the emulator's clocks past the next refresh Latchkey makes, and
 * waits until that refresh (or the adoption of a later sign-in) is done and the cache file
 * holds the session's tokens: an SDK started before then would race Latchkey's refresh
 * for the same refresh token, which no two clients can share at the same instant.
 */
async function refreshedByLatchkey(w: World, clock: ShiftedClock): Promise<void> {
  await w.admin.advanceSeconds(41 * 60);
  clock.advance(41 * MINUTE_MS);
  const advancedAtMs = clock.nowMs();
  const held = async (): Promise<{ accessToken: string; obtainedAtMs: number } | undefined> => (await w.agent?.engine.exportableSession('corp'))?.tokens;
  await until(async () => ((await held())?.obtainedAtMs ?? 0) >= advancedAtMs - 1000, 'a refresh by Latchkey');
  await until(async () => (await cachedAccessToken(w).catch(() => '')) === (await held())?.accessToken, 'the cache file to hold the session\'s tokens');
}

describe.each(clients)('a sign-in shared with the AWS CLI cache, %s on the other side', (client) => {
  it('AWS CLI first, sync off: Latchkey\'s refresh hands the new tokens to the cache file, and the SDK\'s own refresh still works', async () => {
    const w = await setUp({ sync: false });
    const original = (await awsCliSignIn(w)).accessToken;
    const clock = agentClock();
    const agent = await start(w, silentLogger, clock);
    expect((await credentials(agent)).status).toBe(200);
    await refreshedByLatchkey(w, clock);
    await until(async () => (await cachedAccessToken(w)) !== original, 'the file to hold the renewed token');
    // The SDK refreshes with what the file holds: the refresh token Latchkey's refresh left live.
    const beforeSdk = await cachedAccessToken(w);
    const sdkToken = await sdkTokenNearExpiry(w, client, clock);
    expect(sdkToken).not.toBe(beforeSdk);
    expect(await cachedAccessToken(w)).toBe(sdkToken);
    // And Latchkey, refreshing next, takes the SDK's sign-in rather than spend a dead token.
    await refreshedByLatchkey(w, clock);
    expect(w.events.filter((event) => event.type === 'signed-out')).toEqual([]);
    expect(await sessionStatus(agent)).toMatchObject({ state: 'signed-in' });
    expect((await credentials(agent)).status).toBe(200);
  });

  it('Latchkey first, sync on: an SDK that refreshes first does not sign Latchkey out, and both go on refreshing', async () => {
    const w = await setUp({ sync: true });
    const clock = agentClock();
    const agent = await start(w, silentLogger, clock);
    await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in', { body: { flow: 'pkce' } });
    expect(await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=10')).toMatchObject({ status: 200 });
    expect((await credentials(agent)).status).toBe(200);
    const exported = await cachedAccessToken(w);
    // The SDK renews first, spending the refresh token Latchkey holds.
    const sdkToken = await sdkTokenNearExpiry(w, client, clock);
    expect(sdkToken).not.toBe(exported);
    await refreshedByLatchkey(w, clock);
    expect(w.events.filter((event) => event.type === 'signed-out')).toEqual([]);
    expect(await sessionStatus(agent)).toMatchObject({ state: 'signed-in' });
    expect((await credentials(agent)).status).toBe(200);
    // Latchkey's next refresh uses the SDK's refresh token and exports the result, which the SDK can renew again.
    await refreshedByLatchkey(w, clock);
    await until(async () => (await cachedAccessToken(w)) !== sdkToken, 'the export of Latchkey\'s refresh');
    const latchkeyToken = await cachedAccessToken(w);
    expect(await sdkTokenNearExpiry(w, client, clock), lastSdkLog).not.toBe(latchkeyToken);
    expect(w.events.filter((event) => event.type === 'signed-out')).toEqual([]);
  });
});

describe('latchkey_sync_aws_cache as the user sees it', () => {
  it('has the cache file in place when the sign-in wait reports success, so `latchkey login && aws ...` finds it', async () => {
    const w = await setUp({ sync: true });
    const agent = await start(w);
    await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in', { body: { flow: 'pkce' } });
    expect((await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=10')).status).toBe(200);
    // Read at once, no polling: the answer above promises the file.
    const token = await cachedAccessToken(w);
    expect(token).toMatch(/^aoa/);
  });

  it('writes the cache file at once when the setting is turned on for a session already signed in, with no request needed', async () => {
    const w = await setUp({ sync: false });
    const agent = await start(w);
    await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in', { body: { flow: 'pkce' } });
    expect((await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=10')).status).toBe(200);
    await expect(stat(awsSsoCacheFilePath(w.dir, 'corp'))).rejects.toMatchObject({ code: 'ENOENT' });
    await writeFile(join(w.dir, 'config'), config(true));
    await until(async () => (await cachedAccessToken(w).catch(() => '')) !== '', 'the cache file');
  });
});

describe('a sign-in shared with the AWS CLI, signed out there', () => {
  /** `aws sso logout`: Logout for the token in each cache file, then the files go. The AWS CLI itself where it is installed. */
  async function awsSsoLogout(w: World): Promise<void> {
    if (pythonSkip === undefined) {
      const run = await runAwsCli(['sso', 'logout'], { HOME: w.dir, AWS_CONFIG_FILE: join(w.dir, 'config'), LATCHKEY_TEST_SSO_ENDPOINT: w.emulator.baseUrl });
      if (run.code !== 0) throw new Error(`aws sso logout failed: ${run.stderr}`);
      return;
    }
    const sso = new SSOClient({ region: REGION, endpoint: w.emulator.baseUrl });
    try {
      await sso.send(new LogoutCommand({ accessToken: await cachedAccessToken(w) }));
    } finally {
      sso.destroy();
    }
    await rm(awsSsoCacheFilePath(w.dir, 'corp'));
  }

  it('reads as signed out at once, saying AWS ended it, with no request needed', async () => {
    const w = await setUp({ sync: true });
    const agent = await start(w);
    await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in', { body: { flow: 'pkce' } });
    expect((await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=10')).status).toBe(200);
    expect(await sessionStatus(agent)).toMatchObject({ state: 'signed-in' });
    await awsSsoLogout(w);
    await until(async () => w.events.some((event) => event.type === 'signed-out'), 'the sign-out');
    expect(await sessionStatus(agent)).toMatchObject({ state: 'signed-out', signedOut: { reason: 'ended-by-aws', at: expect.any(String) } });
    expect((await credentials(agent)).status).toBe(401);
  });
});

describe('a planted AWS CLI SSO cache directory', () => {
  it('tightens a cache directory others may write to 0700, then imports from it', async () => {
    const w = await setUp();
    await awsCliSignIn(w);
    const dir = join(w.dir, '.aws', 'sso', 'cache');
    await chmod(dir, 0o777);
    const agent = await start(w);
    expect((await credentials(agent)).status).toBe(200);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  describe.skipIf(secondUserSkipReason() !== undefined)('owned by another user', () => {
    let other: SecondUser;

    beforeAll(async () => {
      other = await createSecondUser();
    });

    afterAll(async () => {
      await other.remove();
    });

    it('is neither imported from nor exported to; the agent warns once naming it and keeps serving', async () => {
      const w = await setUp({ sync: true });
      await awsCliSignIn(w);
      const dir = join(w.dir, '.aws', 'sso', 'cache');
      await chown(dir, other.uid, other.gid);
      const logger = warningLogger();
      const agent = await start(w, logger);
      expect((await credentials(agent)).status).toBe(401);
      expect((await credentials(agent)).status).toBe(401);
      // A sign-in through Latchkey still works, and its token is not written there.
      await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in', { body: { flow: 'pkce' } });
      expect((await agentRequest(agent.socketPath, 'POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=10')).status).toBe(200);
      const token = (await agentRequest(agent.socketPath, 'GET', '/v1/sessions/corp/token')).json as { accessToken: string };
      expect((await credentials(agent)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await readFile(awsSsoCacheFilePath(w.dir, 'corp'), 'utf8')).not.toContain(token.accessToken);
      const aboutTheDirectory = logger.warnings.filter((warning) => JSON.stringify(warning).includes(dir));
      expect(aboutTheDirectory).toHaveLength(1);
    });
  });
});

describe('FIFOs at the AWS CLI paths, with the agent as a process', () => {
  let dir: string;
  let bundle: string;
  const children: ChildProcess[] = [];
  const fifos: string[] = [];

  beforeAll(async () => {
    dir = await shortTempDir();
    bundle = await buildAgentChild(dir);
  });

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(fifos.splice(0).map((fifo) => releaseFifo(fifo)));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The real `latchkey agent` loop with `home` as its home directory and `configPath` as AWS_CONFIG_FILE. */
  async function startChild(home: string, configPath: string): Promise<{ process: ChildProcess; socketPath: string; exited: Promise<number | null> }> {
    const socketPath = join(home, 'a.sock');
    const child = spawn(process.execPath, [bundle, socketPath], {
      env: { PATH: process.env.PATH ?? '', HOME: home, AWS_CONFIG_FILE: configPath },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    while (!stderr.includes('Latchkey agent ready')) {
      if (child.exitCode !== null) throw new Error(`agent exited: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { process: child, socketPath, exited };
  }

  it('an agent with a FIFO at the cache path of each of six sessions still answers and stops on SIGTERM', async () => {
    const home = join(dir, 'six');
    const names = ['s1', 's2', 's3', 's4', 's5', 's6'];
    const configPath = join(home, 'config');
    await mkdir(join(home, '.aws', 'sso', 'cache'), { recursive: true, mode: 0o700 });
    await writeFile(
      configPath,
      names
        .map((name) =>
          [`[sso-session ${name}]`, `sso_start_url = https://${name}.example.com/start`, `sso_region = ${REGION}`, '', `[profile ${name}]`, `sso_session = ${name}`, 'sso_account_id = 111111111111', 'sso_role_name = Developer', ''].join('\n'),
        )
        .join('\n'),
    );
    for (const name of names) {
      const fifo = awsSsoCacheFilePath(home, name);
      await mkdir(dirname(fifo), { recursive: true });
      makeFifo(fifo);
      fifos.push(fifo);
    }
    const agent = await startChild(home, configPath);
    for (const name of names) {
      const answer = await within(agentRequest(agent.socketPath, 'GET', `/v1/credentials?profile=${name}`), 3000, `the request for ${name}`);
      expect(answer.status).toBe(401);
    }
    agent.process.kill('SIGTERM');
    expect(await within(agent.exited, 3000, 'stopping on SIGTERM')).toBe(0);
  });

  it('an agent whose AWS config file is a FIFO still answers and stops on SIGTERM', async () => {
    const home = join(dir, 'config-fifo');
    await mkdir(home, { mode: 0o700 });
    const configPath = join(home, 'config');
    makeFifo(configPath);
    fifos.push(configPath);
    const agent = await startChild(home, configPath);
    // Each request is answered at once with the reason, as for any config file that cannot be read.
    for (const path of ['/v1/credentials?profile=dev', '/v1/status']) {
      const answer = await within(agentRequest(agent.socketPath, 'GET', path), 3000, `the request for ${path}`);
      expect(answer.status).toBe(400);
      expect(answer.text).toContain(`${configPath}: it is a named pipe (FIFO), not a regular file.`);
    }
    agent.process.kill('SIGTERM');
    expect(await within(agent.exited, 3000, 'stopping on SIGTERM')).toBe(0);
  });
});
