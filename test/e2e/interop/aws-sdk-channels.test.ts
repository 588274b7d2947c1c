import { fromProcess, fromSSO } from '@aws-sdk/credential-providers';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../../main/agent/agent';
import { awsSsoCacheFilePath } from '../../../main/aws/aws-sso-cache-file';
import { InMemorySecretStore } from '../../../main/core/in-memory-secret-store';
import { silentLogger } from '../../../main/core/logger';
import { startEmulator, type Emulator } from '../../emulator/emulator';
import { EmulatorAdmin } from '../../support/emulator-admin';
import { agentRequest, shortTempDir } from '../../integration/agent/agent-harness';
import { buildCli, type BuiltCli } from '../../integration/cli/build-cli';
import { runCli } from '../../integration/cli/run-cli';

/**
 * Done means of issue 4: the emulator, a real agent (in-memory keychain), the bundled
 * CLI, and the AWS SDK's own credential providers on all three channels Latchkey
 * offers: credential_process, the container endpoint of `latchkey exec`, and the AWS
 * CLI SSO cache Latchkey exports. Every key must be one the emulator issued for the role.
 */

const ACCOUNT_ID = '111111111111';
const ROLE_NAME = 'Developer';

interface Issued {
  accessKeyId: string;
  accountId: string;
  roleName: string;
  expiration: number;
}

let emulator: Emulator;
let admin: EmulatorAdmin;
let dir: string;
let cli: BuiltCli;
let agent: RunningAgent;
let configFile: string;
/** The environment the SDK, credential_process and `latchkey exec` run in. */
let cliEnv: Record<string, string>;
const ENV_KEYS = ['HOME', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ENDPOINT_URL_SSO', 'AWS_ENDPOINT_URL_SSO_OIDC', 'AWS_PROFILE', 'LATCHKEY_SOCKET'];
const savedEnv = new Map(ENV_KEYS.map((key) => [key, process.env[key]]));

beforeAll(async () => {
  cli = await buildCli();
  emulator = await startEmulator({ port: 0, autoApprove: true, seed: 'aws-sdk-channels' });
  admin = new EmulatorAdmin(emulator.baseUrl);
  // A short path: it holds the agent's Unix socket too. It is HOME, so ~/.aws/sso/cache is inside.
  dir = await shortTempDir();
  configFile = join(dir, 'config');
  await writeFile(
    configFile,
    [
      '[sso-session corp]',
      'sso_start_url = https://corp.example.com/start',
      'sso_region = us-east-1',
      'sso_registration_scopes = sso:account:access',
      'latchkey_sync_aws_cache = true',
      '',
      '[profile dev]',
      `credential_process = ${process.execPath} ${cli.entry} credential-process --profile dev`,
      'latchkey_session = corp',
      `latchkey_account_id = ${ACCOUNT_ID}`,
      `latchkey_role_name = ${ROLE_NAME}`,
      '',
      '[profile ssodev]',
      'sso_session = corp',
      `sso_account_id = ${ACCOUNT_ID}`,
      `sso_role_name = ${ROLE_NAME}`,
      'region = us-east-1',
      '',
    ].join('\n'),
  );
  const env = {
    HOME: dir,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_ENDPOINT_URL_SSO: emulator.baseUrl,
    AWS_ENDPOINT_URL_SSO_OIDC: emulator.baseUrl,
  };
  // The agent is up before any CLI runs, so no CLI ever starts one of its own.
  agent = await startAgent({
    env,
    platform: process.platform,
    homeDir: dir,
    socketPath: join(dir, 'a.sock'),
    secretStore: new InMemorySecretStore(),
    logger: silentLogger,
    openBrowser: async () => undefined,
  });
  cliEnv = { ...env, LATCHKEY_SOCKET: agent.socketPath, NO_COLOR: '1' };
  // The SDK's providers read these from this process's environment, and fromProcess
  // runs credential_process with it.
  delete process.env['AWS_PROFILE'];
  Object.assign(process.env, cliEnv);
});

afterAll(async () => {
  for (const [key, value] of savedEnv) {
    if (value === undefined) Reflect.deleteProperty(process.env, key);
    else process.env[key] = value;
  }
  await agent?.close();
  await emulator?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  if (cli !== undefined) await rm(cli.dir, { recursive: true, force: true });
});

async function issued(): Promise<Issued[]> {
  return (await admin.call('GET', 'issued-credentials')) as Issued[];
}

function expectIssuedForTheRole(all: Issued[], accessKeyId: string | undefined, expiration?: Date): void {
  const match = all.find((credential) => credential.accessKeyId === accessKeyId);
  expect(match, `the emulator issued ${String(accessKeyId)}`).toBeDefined();
  expect(match).toMatchObject({ accountId: ACCOUNT_ID, roleName: ROLE_NAME });
  // Latchkey's channels carry RFC 3339 with whole seconds; fromSSO keeps the portal's milliseconds.
  if (expiration !== undefined) expect(Math.floor((match?.expiration ?? 0) / 1000)).toBe(Math.floor(expiration.getTime() / 1000));
}

describe('the AWS SDK gets Latchkey credentials on every channel', () => {
  it('signs in with `latchkey login --device-code --no-browser` and exports the token to the AWS CLI cache', async () => {
    const login = await runCli(cli.entry, ['login', '--session', 'corp', '--device-code', '--no-browser'], cliEnv, 30_000);
    expect(login.stderr).toMatch(/Signed in to corp/);
    expect(login.code).toBe(0);
    expect(await admin.calls()).toMatchObject({ StartDeviceAuthorization: 1 });

    const token = (await agentRequest(agent.socketPath, 'GET', '/v1/sessions/corp/token')).json as { accessToken: string };
    const file = awsSsoCacheFilePath(dir, 'corp');
    for (let i = 0; i < 200 && !(await readFile(file, 'utf8').catch(() => '')).includes(token.accessToken); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ accessToken: token.accessToken, region: 'us-east-1' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('(a) fromProcess runs `latchkey credential-process` from the profile', async () => {
    const credentials = await fromProcess({ profile: 'dev', configFilepath: configFile, filepath: join(dir, 'credentials') })();
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.sessionToken).toBeTruthy();
    expectIssuedForTheRole(await issued(), credentials.accessKeyId, credentials.expiration);
  });

  it('(b) a child of `latchkey exec` gets credentials from the endpoint with fromContainerMetadata and fromHttp', async () => {
    const providers = createRequire(join(process.cwd(), 'package.json')).resolve('@aws-sdk/credential-providers');
    const script = join(dir, 'child.cjs');
    await writeFile(
      script,
      [
        `const { fromContainerMetadata, fromHttp } = require(${JSON.stringify(providers)});`,
        '(async () => {',
        '  const metadata = await fromContainerMetadata({ timeout: 5000, maxRetries: 0 })();',
        '  const http = await fromHttp({ timeout: 5000, maxRetries: 0 })();',
        '  const env = { full: process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, profile: process.env.AWS_PROFILE ?? null };',
        '  const pick = (c) => ({ accessKeyId: c.accessKeyId, hasSecret: !!c.secretAccessKey, hasToken: !!c.sessionToken, expiration: c.expiration.toISOString() });',
        '  process.stdout.write(JSON.stringify({ env, metadata: pick(metadata), http: pick(http) }));',
        '})().catch((error) => { process.stderr.write(String(error && error.message)); process.exit(9); });',
      ].join('\n'),
    );
    // A parent AWS_PROFILE would shadow the endpoint in the SDK's chain; exec names the
    // profile it acts as instead, whose copy in the child's config has no credentials.
    const run = await runCli(cli.entry, ['exec', '--profile', 'dev', '--', process.execPath, script], { ...cliEnv, AWS_PROFILE: 'ssodev' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      env: { full: string; profile: string | null };
      metadata: { accessKeyId: string; hasSecret: boolean; hasToken: boolean; expiration: string };
      http: { accessKeyId: string; hasSecret: boolean; hasToken: boolean; expiration: string };
    };
    expect(out.env.full).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):\d+\//);
    expect(out.env.profile).toBe('dev');
    const all = await issued();
    for (const provider of [out.metadata, out.http]) {
      expect(provider).toMatchObject({ hasSecret: true, hasToken: true });
      expectIssuedForTheRole(all, provider.accessKeyId, new Date(provider.expiration));
    }
  });

  it('(c) fromSSO with the sso-session reads the token Latchkey exported and calls GetRoleCredentials with it', async () => {
    const before = (await admin.calls()).GetRoleCredentials;
    const credentials = await fromSSO({ profile: 'ssodev', configFilepath: configFile, filepath: join(dir, 'credentials') })();
    // The SDK called the portal itself, with the exported token as its bearer token.
    expect((await admin.calls()).GetRoleCredentials).toBe(before + 1);
    const all = await issued();
    expect(all.at(-1)?.accessKeyId).toBe(credentials.accessKeyId);
    expectIssuedForTheRole(all, credentials.accessKeyId, credentials.expiration);
    // And no sign-in but the one `latchkey login` made.
    expect(await admin.calls()).toMatchObject({ StartDeviceAuthorization: 1 });
  });
});
