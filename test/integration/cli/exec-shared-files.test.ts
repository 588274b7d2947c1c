import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentHarness } from '../agent/agent-harness';
import { within } from '../agent/exec-binding';
import { AWS_CLI_V2, BOTOCORE_ENDPOINT_SHIM, SYSTEM_PYTHON, pythonSdkSkipReason } from '../../support/python-sdk';
import { buildCli, type BuiltCli } from './build-cli';
import { cliProgram, runCli, type CliRun } from './run-cli';

// Issue 9, item 1: the SDKs and CLIs read the shared files before the container endpoint,
// so a [default] (or the named profile itself) with credentials of its own used to win
// over `latchkey exec`. Each case runs the JS SDK's default chain and botocore's as
// children of exec, and checks they get the binding's role and the profile's settings.

const pythonSkip = pythonSdkSkipReason();
if (pythonSkip !== undefined) console.warn(`exec-shared-files: botocore children skipped: ${pythonSkip}`);

/** The agent's view: dev is served through the corp session, whose token it exports to the AWS CLI cache. */
const AGENT_CONFIG = `[sso-session corp]
sso_start_url = https://corp.example.com/start
sso_region = us-east-1
latchkey_sync_aws_cache = true

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
`;

/**
 * The child's view of dev: the same role, and settings the child must keep. Named with
 * latchkey_ keys, which the agent (reading this same file) serves beside a credential_process.
 */
const DEV_PROFILE = `[profile dev]
latchkey_session = corp
latchkey_account_id = 111111111111
latchkey_role_name = Developer
region = eu-west-3
max_attempts = 7
s3 =
  addressing_style = path
`;

const SSO_SESSION = `[sso-session corp]
sso_start_url = https://corp.example.com/start
sso_region = us-east-1
`;

const STATIC_KEYS = `[default]
aws_access_key_id = AKIADEFAULTSTATIC000
aws_secret_access_key = default-secret
region = us-west-1

[prod]
aws_access_key_id = AKIAPRODSTATIC000000
aws_secret_access_key = prod-secret
`;

let cli: BuiltCli;
let harness: AgentHarness;
let caseNumber = 0;

beforeAll(async () => {
  cli = await buildCli();
  harness = await AgentHarness.start({ config: AGENT_CONFIG });
  await harness.signIn();
  // The SSO case needs the token where the SDKs look for it, as `aws sso login` leaves it.
  await within(5000, async () => existsSync(join(harness.dir, '.aws', 'sso', 'cache')), 'the agent exports the sign-in');
});

afterAll(async () => {
  await harness?.close();
  if (cli !== undefined) await rm(cli.dir, { recursive: true, force: true });
});

interface SharedFiles {
  config: string;
  credentials?: string;
}

/** Writes this case's shared files and returns the environment `latchkey exec` runs in. */
async function caseEnv(files: SharedFiles, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  caseNumber += 1;
  const dir = join(harness.dir, `case-${caseNumber}`);
  await mkdir(dir);
  // The agent's own file: a command whose AWS config is not the agent's is refused
  // (docs/cli.md, "One AWS config file"). The agent reads it again when it changes.
  await writeFile(harness.env.AWS_CONFIG_FILE, files.config);
  if (files.credentials !== undefined) await writeFile(join(dir, 'credentials'), files.credentials);
  return {
    LATCHKEY_SOCKET: harness.socketPath,
    HOME: harness.dir,
    NO_COLOR: '1',
    AWS_CONFIG_FILE: harness.env.AWS_CONFIG_FILE,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    // For a [default] with sso_* keys: the SDKs' own SSO providers go to the emulator.
    AWS_ENDPOINT_URL_SSO: harness.emulator.baseUrl,
    LATCHKEY_TEST_SSO_ENDPOINT: harness.emulator.baseUrl,
    PYTHONPATH: BOTOCORE_ENDPOINT_SHIM,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

/** The access key the exec binding serves: the agent's credentials for dev. */
async function bindingAccessKey(): Promise<string> {
  const answer = await harness.request('GET', '/v1/credentials?profile=dev');
  return (answer.json as { AccessKeyId: string }).AccessKeyId;
}

interface ChildView {
  accessKeyId: string;
  region: string;
  maxAttempts: string;
}

const providers = createRequire(join(process.cwd(), 'package.json')).resolve('@aws-sdk/credential-providers');
const ssoClient = createRequire(join(process.cwd(), 'package.json')).resolve('@aws-sdk/client-sso');

/** The JS SDK's default chain and its region and retry loaders, as any SDK client runs them. */
const JS_CHILD = [
  `const { fromNodeProviderChain } = require(${JSON.stringify(providers)});`,
  `const { SSOClient } = require(${JSON.stringify(ssoClient)});`,
  '(async () => {',
  '  const credentials = await fromNodeProviderChain()();',
  '  const config = new SSOClient({}).config;',
  '  const view = { accessKeyId: credentials.accessKeyId, region: await config.region(), maxAttempts: String(await config.maxAttempts()) };',
  '  process.stdout.write(JSON.stringify(view));',
  '})().catch((error) => { process.stderr.write(String(error && error.message)); process.exit(9); });',
].join('\n');

/** botocore's default chain and its config variables, as boto3 and the AWS CLI v1 use them. */
const PYTHON_CHILD = [
  'import json, botocore.session',
  's = botocore.session.get_session()',
  'c = s.get_credentials()',
  "print(json.dumps({'accessKeyId': c.access_key, 'region': s.get_config_variable('region'),",
  "  'maxAttempts': s.get_scoped_config().get('max_attempts'), 's3': s.get_scoped_config().get('s3')}))",
].join('\n');

function execRun(env: Record<string, string>, child: readonly string[], target: readonly string[] = ['--profile', 'dev']): Promise<CliRun> {
  return runCli(cli.entry, ['exec', ...target, '--', ...child], env);
}

function viewOf(run: CliRun): ChildView & Record<string, unknown> {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as ChildView & Record<string, unknown>;
}

const CASES: [string, () => Promise<SharedFiles>][] = [
  ['(a) static keys in the credentials file', async () => ({ config: `${SSO_SESSION}\n${DEV_PROFILE}`, credentials: STATIC_KEYS })],
  [
    '(b) a credential_process for another role in the config',
    async () => ({
      config: `${SSO_SESSION}\n[default]\ncredential_process = ${cliProgram(cli.entry).commandLine} credential-process --session corp --account 222222222222 --role ReadOnly\nregion = us-west-1\n\n${DEV_PROFILE}`,
    }),
  ],
  ['(c) sso_* keys for another role, signed in', async () => ({ config: `${SSO_SESSION}\n[default]\nsso_session = corp\nsso_account_id = 222222222222\nsso_role_name = ReadOnly\nregion = us-west-1\n\n${DEV_PROFILE}` })],
  // Lines the two dialects read apart: each is a credential of dev to one of them.
  [
    '(d) a credential_process in dev after U+001C, which only botocore takes for whitespace',
    async () => ({
      // After a note of its own, so that the agent, which reads this file too, still finds dev's role name whole.
      config: `${SSO_SESSION}\n${DEV_PROFILE.replace('region =', `latchkey_note = x\n\u001ccredential_process = ${cliProgram(cli.entry).commandLine} credential-process --session corp --account 222222222222 --role ReadOnly\nregion =`)}`,
    }),
  ],
  ['(e) static keys under [profile.dev], which the JS SDK reads as dev', async () => ({ config: `${SSO_SESSION}\n${DEV_PROFILE}\n[profile.dev]\naws_access_key_id = AKIADOTTEDSTATIC0000\naws_secret_access_key = dotted-secret\n` })],
  [
    '(f) static keys after a header that ends a line for botocore only (a lone CR)',
    async () => ({ config: `${SSO_SESSION}\n${DEV_PROFILE}x = 1\r[profile other]\naws_access_key_id = AKIAHIDDENSTATIC0000\naws_secret_access_key = hidden-secret\n` }),
  ],
];

describe('latchkey exec --profile dev with a [default] that has credentials of its own', () => {
  it.each(CASES)('%s: the JS SDK default chain in the child gets the binding\'s role and dev\'s settings', async (_what, files) => {
    const env = await caseEnv(await files());
    const view = viewOf(await execRun(env, [process.execPath, '--no-warnings', '-e', JS_CHILD]));
    expect(view).toEqual({ accessKeyId: await bindingAccessKey(), region: 'eu-west-3', maxAttempts: '7' });
  });

  it.skipIf(pythonSkip !== undefined).each(CASES)('%s: botocore in the child gets the binding\'s role and dev\'s settings', async (_what, files) => {
    const env = await caseEnv(await files());
    const view = viewOf(await execRun(env, [SYSTEM_PYTHON, '-c', PYTHON_CHILD]));
    expect(view).toEqual({ accessKeyId: await bindingAccessKey(), region: 'eu-west-3', maxAttempts: '7', s3: { addressing_style: 'path' } });
  });

  it.skipIf(pythonSkip !== undefined).each(CASES)('%s: the AWS CLI v2 in the child takes the endpoint and dev\'s region', async (_what, files) => {
    // The endpoint shim is botocore 1.29's; the AWS CLI v2 carries its own botocore, which it breaks.
    const env = await caseEnv(await files());
    delete env['PYTHONPATH'];
    delete env['LATCHKEY_TEST_SSO_ENDPOINT'];
    const run = await execRun(env, [AWS_CLI_V2, 'configure', 'list']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const key = await bindingAccessKey();
    expect(run.stdout).toMatch(new RegExp(`access_key +\\*+${key.slice(-4)} +container-role`));
    // exec sets AWS_REGION to dev's region (docs/cli.md, "Regions").
    expect(run.stdout).toMatch(/region +eu-west-3 +env +/);
  });

  it.skipIf(pythonSkip !== undefined)('keeps the other profiles as they were, so the child can still name one', async () => {
    const env = await caseEnv({ config: `${SSO_SESSION}\n${DEV_PROFILE}`, credentials: STATIC_KEYS });
    const script = "import botocore.session\nprint(botocore.session.Session(profile='prod').get_credentials().access_key)";
    const run = await execRun(env, [SYSTEM_PYTHON, '-c', script]);
    expect({ code: run.code, stdout: run.stdout.trim() }).toEqual({ code: 0, stdout: 'AKIAPRODSTATIC000000' });
  });

  it('sets AWS_PROFILE and AWS_DEFAULT_PROFILE to dev, whatever the parent had', async () => {
    const env = await caseEnv({ config: `${SSO_SESSION}\n${DEV_PROFILE}`, credentials: STATIC_KEYS }, { AWS_PROFILE: 'other', AWS_DEFAULT_PROFILE: 'other' });
    const script = 'console.log(JSON.stringify([process.env.AWS_PROFILE, process.env.AWS_DEFAULT_PROFILE]))';
    const run = await execRun(env, [process.execPath, '-e', script]);
    expect({ code: run.code, stdout: JSON.parse(run.stdout) as unknown }).toEqual({ code: 0, stdout: ['dev', 'dev'] });
  });

  it('removes the older key spellings other SDKs read before the endpoint, and has the JS SDK v2 read the credentials copy', async () => {
    // The Go SDKs and the Java SDK v1 read AWS_ACCESS_KEY/AWS_SECRET_KEY, the JS SDK v2 the
    // AMAZON_ ones; the JS SDK v2 reads AWS_SHARED_CREDENTIALS_FILE only with AWS_SDK_LOAD_CONFIG.
    const legacy = { AWS_ACCESS_KEY: 'AKIAGOLEGACY', AWS_SECRET_KEY: 's', AMAZON_ACCESS_KEY_ID: 'AKIAAMAZON', AMAZON_SECRET_ACCESS_KEY: 's', AMAZON_SESSION_TOKEN: 't' };
    const env = await caseEnv({ config: `${SSO_SESSION}\n${DEV_PROFILE}`, credentials: `${STATIC_KEYS}\n[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = x\n` }, legacy);
    const names = [...Object.keys(legacy), 'AWS_SDK_LOAD_CONFIG'];
    const script = `console.log(JSON.stringify(${JSON.stringify(names)}.map((name) => process.env[name] ?? null)))`;
    const run = await execRun(env, [process.execPath, '-e', script]);
    expect({ code: run.code, seen: JSON.parse(run.stdout) as unknown }).toEqual({ code: 0, seen: [null, null, null, null, null, '1'] });
  });

  it.skipIf(pythonSkip !== undefined)('with --session --account --role, acts as a [default] stripped of its keys, its region kept', async () => {
    const env = await caseEnv({ config: `${SSO_SESSION}\n${DEV_PROFILE}`, credentials: STATIC_KEYS }, { AWS_PROFILE: 'other' });
    const script = "import json, os, botocore.session\ns = botocore.session.get_session()\nprint(json.dumps([os.environ.get('AWS_PROFILE'), s.get_credentials().access_key, s.get_config_variable('region')]))";
    const run = await execRun(env, [SYSTEM_PYTHON, '-c', script], ['--session', 'corp', '--account', '111111111111', '--role', 'Developer']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([null, await bindingAccessKey(), 'us-west-1']);
  });
});

describe('the copies of the shared files', () => {
  const STAT_CHILD = [
    "const fs = require('node:fs'); const path = require('node:path');",
    'const files = [process.env.AWS_CONFIG_FILE, process.env.AWS_SHARED_CREDENTIALS_FILE];',
    'const mode = (p) => (fs.statSync(p).mode & 0o777).toString(8);',
    'console.log(JSON.stringify({ files, modes: files.map(mode), dir: mode(path.dirname(files[0])), parent: mode(path.dirname(path.dirname(files[0]))) }));',
  ].join('\n');

  it('are 0600 in a 0700 directory while the command runs, and gone when it ends', async () => {
    // dev has credentials in both files, so both need a copy.
    const credentials = `${STATIC_KEYS}\n[dev]\naws_access_key_id = AKIADEVSTATIC0000000\naws_secret_access_key = dev-secret\n`;
    const env = await caseEnv({ config: `${SSO_SESSION}\n${DEV_PROFILE}`, credentials });
    const run = await execRun(env, [process.execPath, '-e', STAT_CHILD]);
    const seen = JSON.parse(run.stdout) as { files: string[]; modes: string[]; dir: string; parent: string };
    expect(seen).toMatchObject({ modes: ['600', '600'], dir: '700', parent: '700' });
    expect(seen.files).not.toContain(env['AWS_CONFIG_FILE']);
    expect(seen.files).not.toContain(env['AWS_SHARED_CREDENTIALS_FILE']);
    for (const file of seen.files) expect(existsSync(file)).toBe(false);
    expect(existsSync(join(seen.files[0] ?? '', '..'))).toBe(false);
  });

  it('left by an exec killed with SIGKILL are removed by the next exec', async () => {
    const env = await caseEnv({ config: `${SSO_SESSION}\n${DEV_PROFILE}`, credentials: STATIC_KEYS });
    const child = spawn(cliProgram(cli.entry).file, [...cliProgram(cli.entry).args, 'exec', '--profile', 'dev', '--', 'sh', '-c', 'echo "$AWS_CONFIG_FILE"; exec sleep 30'], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      detached: true,
    });
    try {
      const copy = await new Promise<string>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => resolve(chunk.trim()));
        child.once('exit', (code) => reject(new Error(`exec exited (${code}) first`)));
      });
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      expect(existsSync(copy)).toBe(true);
      expect((await execRun(env, ['true'])).code).toBe(0);
      expect(existsSync(join(copy, '..'))).toBe(false);
    } finally {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  });
});
