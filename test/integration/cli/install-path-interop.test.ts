import { fromIni, fromProcess } from '@aws-sdk/credential-providers';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAgent } from '../../support/fake-agent';
import { pythonSdkSkipReason, runAwsCli, runPython } from '../../support/python-sdk';
import { buildCli, type BuiltCli } from './build-cli';
import { runCli } from './run-cli';

// Issue 9, item 4: Latchkey installed under a path with spaces, quotes, `$`, backticks,
// backslashes, `#` and non-ASCII letters. setup-profiles writes the credential_process
// line; botocore (boto3, the AWS CLI v1), the AWS CLI v2 and the JS SDK each run it, and
// each must reach Latchkey with the same arguments. The path is once the command itself
// (the installed app's native `latchkey`) and once an argument (node running the CLI from there).

const pythonSkip = pythonSdkSkipReason();
if (pythonSkip !== undefined) console.warn(`Install path interop: the Python clients are skipped: ${pythonSkip}.`);

/** Every character the shells and splitters treat differently, and `#`/`;` after a space (the JS SDK's comment). */
const AWKWARD_DIR = `Latchkey it's "quoted" $HOME \`id\` back\\slash %USERPROFILE% ü ラッチ #1 ;2 (x) & y`;
/**
 * Node's ESM loader refuses a module path with a backslash in it on every platform
 * (ERR_INVALID_MODULE_SPECIFIER), so the CLI bundle cannot run its full commands from
 * such a folder at all; the bundle's own copy goes under the same name without one.
 */
const AWKWARD_BUNDLE_DIR = AWKWARD_DIR.replace('back\\slash', 'backslash');
const CREDENTIALS = { AccessKeyId: 'ASIAQUOTING', SecretAccessKey: 'secret-quoting', SessionToken: 'token-quoting', Expiration: '2099-01-01T00:00:00Z', AccountId: '111111111111' };
const USER_CONFIG = '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n';
const PROFILE = 'Development-Developer';

let cli: BuiltCli;
let dir: string;
let agent: FakeAgent;
const savedSocket = process.env['LATCHKEY_SOCKET'];

interface Install {
  what: string;
  config: string;
  entry: string;
}
const installs: Install[] = [];

beforeAll(async () => {
  cli = await buildCli();
  dir = await mkdtemp(join(tmpdir(), 'latchkey-path-'));
  agent = await FakeAgent.start(join(dir, 'agent.sock'), {
    'GET /v1/sessions/corp/accounts': () => ({ status: 200, body: { accounts: [{ accountId: '111111111111', accountName: 'Development', roles: ['Developer'] }] } }),
    'GET /v1/credentials': () => ({ status: 200, body: CREDENTIALS }),
  });
  const awkward = join(dir, AWKWARD_DIR);
  const awkwardBundle = join(dir, AWKWARD_BUNDLE_DIR);
  await mkdir(awkward);
  // The installed app's `latchkey` under the awkward path, the native client as in the
  // package (resources/bin/latchkey): the agent runs setup-profiles for it and writes the
  // client's own path as the command word.
  const launcher = join(awkward, 'latchkey');
  await cp(join(cli.dir, 'bin', 'latchkey'), launcher);
  await chmod(launcher, 0o755);
  // The CLI bundle itself under the awkward path: node runs it, the path is an argument.
  await cp(join(cli.dir, 'cli'), join(awkwardBundle, 'cli'), { recursive: true });
  await cp(join(cli.dir, 'bin'), join(awkwardBundle, 'bin'), { recursive: true });
  installs.push(
    { what: 'the launcher', config: join(dir, 'config-launcher'), entry: launcher },
    { what: 'the CLI script', config: join(dir, 'config-script'), entry: join(awkwardBundle, 'cli', 'latchkey.cjs') },
  );
  for (const install of installs) {
    await writeFile(install.config, USER_CONFIG);
    const run = await runCli(install.entry, ['setup-profiles', '--session', 'corp'], {
      LATCHKEY_SOCKET: agent.socketPath,
      HOME: dir,
      AWS_CONFIG_FILE: install.config,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }
  // The JS SDK runs credential_process with this process's environment.
  process.env['LATCHKEY_SOCKET'] = agent.socketPath;
});

afterAll(async () => {
  if (savedSocket === undefined) delete process.env['LATCHKEY_SOCKET'];
  else process.env['LATCHKEY_SOCKET'] = savedSocket;
  await agent.close();
  await rm(dir, { recursive: true, force: true });
  await rm(cli.dir, { recursive: true, force: true });
});

function clientEnv(install: Install): Record<string, string> {
  return { AWS_CONFIG_FILE: install.config, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'), HOME: dir, LATCHKEY_SOCKET: agent.socketPath };
}

/** The agent saw one more credential request, for the profile setup-profiles wrote: Latchkey got exactly its arguments. */
async function expectOneCredentialRequest(since: number): Promise<void> {
  const asked = agent.requests.slice(since).filter((r) => r.url.pathname === '/v1/credentials');
  expect(asked.map((r) => r.url.searchParams.get('profile'))).toEqual([PROFILE]);
}

const BOTOCORE_CREDENTIALS = `
import json, botocore.session
credentials = botocore.session.Session(profile=${JSON.stringify(PROFILE)}).get_credentials().get_frozen_credentials()
print(json.dumps([credentials.access_key, credentials.secret_key, credentials.token]))
`;

describe.each(['the launcher', 'the CLI script'])('a credential_process line for %s under an awkward path', (what) => {
  const install = (): Install => installs.find((i) => i.what === what) as Install;

  it('is written with the awkward path in it', async () => {
    expect(await readFile(install().config, 'utf8')).toContain(`credential-process --profile ${PROFILE}\n`);
    expect(await readFile(install().config, 'utf8')).toContain('ラッチ');
  });

  it.skipIf(pythonSkip !== undefined)('is run by botocore (boto3, the AWS CLI v1), which splits it with shlex', async () => {
    const since = agent.requests.length;
    const run = await runPython(BOTOCORE_CREDENTIALS, clientEnv(install()));
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([CREDENTIALS.AccessKeyId, CREDENTIALS.SecretAccessKey, CREDENTIALS.SessionToken]);
    await expectOneCredentialRequest(since);
  });

  it.skipIf(pythonSkip !== undefined)('is run by the AWS CLI v2 (configure export-credentials)', async () => {
    const since = agent.requests.length;
    const run = await runAwsCli(['configure', 'export-credentials', '--profile', PROFILE, '--format', 'process'], clientEnv(install()));
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({
      Version: 1,
      AccessKeyId: CREDENTIALS.AccessKeyId,
      SecretAccessKey: CREDENTIALS.SecretAccessKey,
      SessionToken: CREDENTIALS.SessionToken,
    });
    await expectOneCredentialRequest(since);
  });

  it.each([
    ['fromProcess', fromProcess],
    ['fromIni', fromIni],
  ])('is run by the JS SDK (%s), which reads the line with its own ini parser and runs it with /bin/sh', async (_name, provider) => {
    const since = agent.requests.length;
    const credentials = await provider({ profile: PROFILE, configFilepath: install().config, filepath: join(dir, 'no-credentials') })();
    expect(credentials).toMatchObject({
      accessKeyId: CREDENTIALS.AccessKeyId,
      secretAccessKey: CREDENTIALS.SecretAccessKey,
      sessionToken: CREDENTIALS.SessionToken,
    });
    await expectOneCredentialRequest(since);
  });
});
