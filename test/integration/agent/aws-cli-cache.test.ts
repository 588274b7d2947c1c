import { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../../main/agent/agent';
import { awsSsoCacheFilePath } from '../../../main/aws/aws-sso-cache-file';
import { InMemorySecretStore } from '../../../main/core/in-memory-secret-store';
import { silentLogger } from '../../../main/core/logger';
import type { AgentEvent } from '../../../main/agent/agent-event';
import { startEmulator, type Emulator } from '../../emulator/emulator';
import { EmulatorAdmin } from '../../support/emulator-admin';
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

async function start(w: World): Promise<RunningAgent> {
  w.agent = await startAgent({
    env: { AWS_CONFIG_FILE: join(w.dir, 'config'), AWS_ENDPOINT_URL_SSO_OIDC: w.emulator.baseUrl, AWS_ENDPOINT_URL_SSO: w.emulator.baseUrl },
    platform: process.platform,
    homeDir: w.dir,
    socketPath: join(w.dir, 'a.sock'),
    secretStore: new InMemorySecretStore(),
    logger: silentLogger,
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
    await until(async () => (await readFile(file, 'utf8').catch(() => 'gone')) === 'gone', 'the removal');
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
