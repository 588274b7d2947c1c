import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentHarness } from '../agent/agent-harness';
import { pythonSdkSkipReason, SYSTEM_PYTHON } from '../../support/python-sdk';
import { buildCli, type BuiltCli } from './build-cli';
import { runCli } from './run-cli';

// Issue 10, "Regions and profiles": export and exec set AWS_REGION and AWS_DEFAULT_REGION,
// as aws-vault and granted do (docs/cli.md, "Regions"), against a real agent on the emulator.

const CONFIG = `[sso-session corp]
sso_start_url = https://corp.example.com/start
sso_region = us-east-1

[profile dev]
region = eu-west-2
credential_process = latchkey credential-process --profile dev
latchkey_session = corp
latchkey_account_id = 111111111111
latchkey_role_name = Developer

[profile plain]
credential_process = latchkey credential-process --profile plain
latchkey_session = corp
latchkey_account_id = 111111111111
latchkey_role_name = Developer
`;

const pythonSkip = pythonSdkSkipReason();

let cli: BuiltCli;
let harness: AgentHarness;
let env: Record<string, string>;

beforeAll(async () => {
  cli = await buildCli();
  harness = await AgentHarness.start({ config: CONFIG });
  await harness.signIn();
  env = { LATCHKEY_SOCKET: harness.socketPath, HOME: harness.dir, AWS_CONFIG_FILE: harness.env.AWS_CONFIG_FILE, NO_COLOR: '1' };
});

afterAll(async () => {
  await harness?.close();
  if (cli !== undefined) await rm(cli.dir, { recursive: true, force: true });
});

/** The region lines of `latchkey export`, as a shell would read them. */
async function exportedRegions(args: readonly string[], caller: Record<string, string> = {}): Promise<Record<string, string>> {
  const run = await runCli(cli.entry, ['export', ...args], { ...env, ...caller });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return Object.fromEntries([...run.stdout.matchAll(/^export (AWS_(?:DEFAULT_)?REGION)='([^']*)'$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** What the command `latchkey exec` runs prints on stdout. */
async function underExec(args: readonly string[], command: readonly string[], caller: Record<string, string> = {}): Promise<string> {
  const run = await runCli(cli.entry, ['exec', ...args, '--', ...command], { ...env, ...caller });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
}

const PRINT_REGIONS = [process.execPath, '-e', 'process.stdout.write(`${process.env.AWS_REGION} ${process.env.AWS_DEFAULT_REGION}`)'];

describe('latchkey export regions', () => {
  it("prints the profile's region in both variables, over a region the caller has", async () => {
    expect(await exportedRegions(['--profile', 'dev'])).toEqual({ AWS_REGION: 'eu-west-2', AWS_DEFAULT_REGION: 'eu-west-2' });
    expect(await exportedRegions(['--profile', 'dev'], { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'ap-south-1' })).toEqual({
      AWS_REGION: 'eu-west-2',
      AWS_DEFAULT_REGION: 'eu-west-2',
    });
  });

  it("keeps the caller's region for a profile without one, filling in the other variable", async () => {
    expect(await exportedRegions(['--profile', 'plain'], { AWS_REGION: 'ap-south-1' })).toEqual({ AWS_DEFAULT_REGION: 'ap-south-1' });
    expect(await exportedRegions(['--profile', 'plain'], { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'sa-east-1' })).toEqual({});
  });

  it("falls back to the session's sso_region, also for --session --account --role", async () => {
    expect(await exportedRegions(['--profile', 'plain'])).toEqual({ AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' });
    expect(await exportedRegions(['--session', 'corp', '--account', '111111111111', '--role', 'Developer'])).toEqual({
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
    });
  });
});

describe('latchkey exec regions', () => {
  it("gives the command the profile's region in both variables", async () => {
    expect(await underExec(['--profile', 'dev'], PRINT_REGIONS, { AWS_REGION: 'ap-south-1' })).toBe('eu-west-2 eu-west-2');
  });

  it("gives the command the caller's AWS_DEFAULT_REGION as AWS_REGION too when the profile has none", async () => {
    expect(await underExec(['--profile', 'plain'], PRINT_REGIONS, { AWS_DEFAULT_REGION: 'sa-east-1' })).toBe('sa-east-1 sa-east-1');
    expect(await underExec(['--session', 'corp', '--account', '111111111111', '--role', 'Developer'], PRINT_REGIONS)).toBe('us-east-1 us-east-1');
  });

  it("is the region the JS SDK's region loader finds in the command", async () => {
    const loader = "new (require('@aws-sdk/client-sso').SSOClient)({}).config.region().then((r) => process.stdout.write(r))";
    expect(await underExec(['--session', 'corp', '--account', '111111111111', '--role', 'Developer'], [process.execPath, '--no-warnings', '-e', loader])).toBe('us-east-1');
  });

  it.skipIf(pythonSkip !== undefined)('is the region botocore finds in the command', async () => {
    const botocore = "import botocore.session, sys; sys.stdout.write(botocore.session.Session().get_config_variable('region'))";
    expect(await underExec(['--profile', 'plain'], [SYSTEM_PYTHON, '-c', botocore], { AWS_REGION: 'ap-south-1' })).toBe('ap-south-1');
  });
});

