import { execFile, spawn } from 'node:child_process';
import { chmod, lstat, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAwsConfig } from '../../../main/core/aws-config';
import { FakeAgent, type FakeRoute } from '../../support/fake-agent';
import { pythonSdkSkipReason, runAwsCli } from '../../support/python-sdk';
import { buildCli, type BuiltCli } from './build-cli';
import { cliProgram, runCli } from './run-cli';

const USER_CONFIG = '# keep me\n[default]\nregion = eu-west-1   \n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start/#/\nsso_region = eu-west-1\n';

let cli: BuiltCli;
let dir: string;
let agent: FakeAgent;
let env: Record<string, string>;
let configPath: string;

beforeAll(async () => {
  cli = await buildCli();
});

afterAll(async () => {
  await rm(cli.dir, { recursive: true, force: true });
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-setup-'));
  configPath = join(dir, 'config');
  agent = await FakeAgent.start(join(dir, 'agent.sock'), {
    'GET /v1/sessions/corp/accounts': () => ({
      status: 200,
      body: {
        accounts: [
          { accountId: '111111111111', accountName: 'Development', roles: ['Developer', 'ReadOnly'] },
          { accountId: '222222222222', accountName: 'Production', roles: ['ReadOnly'] },
        ],
      },
    }),
  });
  env = { LATCHKEY_SOCKET: agent.socketPath, HOME: dir, AWS_CONFIG_FILE: configPath };
});

afterEach(async () => {
  await agent.close();
  await rm(dir, { recursive: true, force: true });
});

describe('latchkey setup-profiles', () => {
  it('treats a reader that stops early (| head -1) as no error: exit 0, no stack, the file written', async () => {
    const roles = Array.from({ length: 64 }, (_, n) => `Role${n}`);
    agent.route('GET /v1/sessions/corp/accounts', () => ({
      status: 200,
      body: { accounts: Array.from({ length: 50 }, (_, n) => ({ accountId: String(100000000000 + n), accountName: `Account${n}`, roles })) },
    }));
    const child = spawn(cliProgram(cli.entry).file, [...cliProgram(cli.entry).args, 'setup-profiles', '--session', 'corp'], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // As `head -1` does: read the first line, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(await readFile(configPath, 'utf8')).toContain('[profile Account49-Role63]');
  });

  it('writes the block after the untouched user lines, keeps the mode, and backs up first', async () => {
    await writeFile(configPath, USER_CONFIG);
    await chmod(configPath, 0o640);
    const run = await runCli(cli.entry, ['setup-profiles', '--session', 'corp'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Wrote 3 profiles for corp');
    const text = await readFile(configPath, 'utf8');
    expect(text.startsWith(`${USER_CONFIG}\n# BEGIN latchkey managed profiles (session corp)\n`)).toBe(true);
    expect(text).toContain(`credential_process = ${cliProgram(cli.entry).commandLine} credential-process --profile Production-ReadOnly\n`);
    expect((await stat(configPath)).mode & 0o777).toBe(0o640);
    expect(await readFile(`${configPath}.latchkey-backup`, 'utf8')).toBe(USER_CONFIG);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('changes nothing, not even the file\'s inode or time, when run twice', async () => {
    await writeFile(configPath, USER_CONFIG);
    await runCli(cli.entry, ['setup-profiles', '--session', 'corp'], env);
    const before = await stat(configPath);
    const text = await readFile(configPath, 'utf8');
    const run = await runCli(cli.entry, ['setup-profiles', '--session', 'corp'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('already up to date');
    const after = await stat(configPath);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(configPath, 'utf8')).toBe(text);
  });

  it('creates a missing config file with mode 0600 and no backup', async () => {
    const run = await runCli(cli.entry, ['setup-profiles', '--session', 'corp'], { ...env, AWS_CONFIG_FILE: join(dir, 'new', 'config') });
    expect(run.code).toBe(0);
    expect((await stat(join(dir, 'new', 'config'))).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'new'))).toEqual(['config']);
  });

  it('writes through a symlinked config to the file it points to', async () => {
    const real = join(dir, 'real-config');
    await writeFile(real, USER_CONFIG);
    await symlink(real, configPath);
    await runCli(cli.entry, ['setup-profiles', '--session', 'corp'], env);
    expect((await readFile(real, 'utf8')).startsWith(USER_CONFIG)).toBe(true);
    expect(await readFile(real, 'utf8')).toContain('# END latchkey managed profiles (session corp)');
  });

  it('writes the backup as a new file, never through a symlink planted at its path', async () => {
    const victim = join(dir, 'victim');
    await writeFile(victim, 'precious\n');
    await writeFile(configPath, USER_CONFIG);
    await symlink(victim, `${configPath}.latchkey-backup`);
    const run = await runCli(cli.entry, ['setup-profiles', '--session', 'corp'], env);
    expect(run.code).toBe(0);
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    expect((await lstat(`${configPath}.latchkey-backup`)).isFile()).toBe(true);
    expect(await readFile(`${configPath}.latchkey-backup`, 'utf8')).toBe(USER_CONFIG);
  });

  it('gives the backup the config file\'s mode', async () => {
    await writeFile(configPath, USER_CONFIG);
    await chmod(configPath, 0o600);
    await runCli(cli.entry, ['setup-profiles', '--session', 'corp'], env);
    expect((await stat(`${configPath}.latchkey-backup`)).mode & 0o777).toBe(0o600);
  });

  it.each<[string, FakeRoute, string]>([
    ['a role name carrying a profile section', accountsAnswer({ roles: ['R\n[profile evil]\ncredential_process = touch /tmp/pwned'] }), 'roles'],
    ['an account id carrying a profile section', accountsAnswer({ accountId: '111111111111\n[profile evil]\ncredential_process = touch /tmp/pwned' }), 'accountId'],
  ])('refuses an agent answer with %s and leaves the config byte for byte', async (_name, route, field) => {
    agent.route('GET /v1/sessions/corp/accounts', route);
    await writeFile(configPath, USER_CONFIG);
    const run = await runCli(cli.entry, ['setup-profiles', '--session', 'corp'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`latchkey: The Latchkey agent sent an answer without a valid "${field}".\n`);
    expect(run.stdout).toBe('');
    expect(await readFile(configPath, 'utf8')).toBe(USER_CONFIG);
    expect(await readdir(dir)).not.toContain('config.latchkey-backup');
  });
});

// Issue 9, item 3: a profile name, once written, keeps naming the same account and role.
describe('latchkey setup-profiles run again', () => {
  const DEV_OPS = { accountId: '111111111111', accountName: 'Dev-Ops', roles: ['Admin'] };
  const DEV_SPACE_OPS = { accountId: '100000000000', accountName: 'Dev Ops', roles: ['Admin'] };

  async function setupWith(accounts: readonly object[]): Promise<{ stdout: string; served: Record<string, string> }> {
    agent.route('GET /v1/sessions/corp/accounts', () => ({ status: 200, body: { accounts } }));
    const run = await runCli(cli.entry, ['setup-profiles', '--session', 'corp'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const config = parseAwsConfig(await readFile(configPath, 'utf8'), configPath);
    expect(config.problems).toEqual([]);
    const served = Object.fromEntries([...config.profiles.values()].filter((p) => p.session === 'corp').map((p) => [p.name, `${p.accountId ?? ''} ${p.roleName ?? ''}`]));
    return { stdout: run.stdout, served };
  }

  beforeEach(async () => {
    await writeFile(configPath, USER_CONFIG);
  });

  it('keeps a name on its account when a new account whose name cleans the same appears, and says what the newcomer is called', async () => {
    expect((await setupWith([DEV_OPS])).served).toEqual({ 'Dev-Ops-Admin': '111111111111 Admin' });
    const second = await setupWith([DEV_SPACE_OPS, DEV_OPS]);
    expect(second.served).toEqual({ 'Dev-Ops-Admin': '111111111111 Admin', 'Dev-Ops-Admin-100000000000': '100000000000 Admin' });
    expect(second.stdout).toContain('\n  Dev-Ops-Admin  (111111111111 Admin)\n  Dev-Ops-Admin-100000000000  (100000000000 Admin)  new\n');
    expect((await setupWith([DEV_OPS, DEV_SPACE_OPS])).stdout).toContain('are already up to date');
  });

  it('removes the profile of a role no longer assigned, keeps its name from a newcomer, and gives it back when the role returns', async () => {
    await setupWith([DEV_OPS]);
    const removed = await setupWith([DEV_SPACE_OPS]);
    expect(removed.served).toEqual({ 'Dev-Ops-Admin-100000000000': '100000000000 Admin' });
    expect(removed.stdout).toContain('Removed 1 profile whose role is no longer assigned; its name stays reserved for that role:\n  Dev-Ops-Admin  (111111111111 Admin)\n');
    const back = await setupWith([DEV_SPACE_OPS, DEV_OPS]);
    expect(back.served).toEqual({ 'Dev-Ops-Admin': '111111111111 Admin', 'Dev-Ops-Admin-100000000000': '100000000000 Admin' });
    expect(back.stdout).toContain('\n  Dev-Ops-Admin  (111111111111 Admin)  assigned again, under its old name\n');
  });

  it('keeps the name of an account renamed in the portal', async () => {
    await setupWith([DEV_OPS]);
    const renamed = await setupWith([{ ...DEV_OPS, accountName: 'Platform' }]);
    expect(renamed.stdout).toContain('are already up to date');
    expect(renamed.served).toEqual({ 'Dev-Ops-Admin': '111111111111 Admin' });
  });

  it('never reuses a name the user writes outside the block, even one the block gave first', async () => {
    await setupWith([DEV_OPS]);
    const mine = '[profile Dev-Ops-Admin]\nregion = us-east-2\n\n';
    await writeFile(configPath, mine + (await readFile(configPath, 'utf8')));
    const second = await setupWith([DEV_OPS]);
    expect(second.served).toEqual({ 'Dev-Ops-Admin-111111111111': '111111111111 Admin' });
    expect(second.stdout).toContain("\n  Dev-Ops-Admin-111111111111  (111111111111 Admin)  new name: Dev-Ops-Admin is now defined outside Latchkey's block\n");
    expect((await readFile(configPath, 'utf8')).startsWith(mine + USER_CONFIG)).toBe(true);
  });
});

// Issue 10, "Regions and profiles": `aws s3 ls --profile X` said "You must specify a region".
describe('latchkey setup-profiles regions', () => {
  const pythonSkip = pythonSdkSkipReason();

  async function setup(...extra: string[]): Promise<string> {
    const run = await runCli(cli.entry, ['setup-profiles', '--session', 'corp', ...extra], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return run.stdout;
  }

  async function regions(): Promise<Record<string, string | undefined>> {
    const config = parseAwsConfig(await readFile(configPath, 'utf8'), configPath);
    return Object.fromEntries([...config.profiles.values()].map((p) => [p.name, p.region]));
  }

  beforeEach(async () => {
    await writeFile(configPath, USER_CONFIG);
  });

  it.skipIf(pythonSkip !== undefined)("writes the session's sso_region, which the AWS CLI v2 shows for the profile", async () => {
    expect(await setup()).toContain('Wrote 3 profiles for corp (region eu-west-1) to ');
    // `configure list` runs the credential_process too.
    agent.route('GET /v1/credentials', () => ({
      status: 200,
      body: { AccessKeyId: 'ASIAREGION', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: '2099-01-01T00:00:00Z' },
    }));
    const list = await runAwsCli(['configure', 'list', '--profile', 'Production-ReadOnly'], { HOME: dir, AWS_CONFIG_FILE: configPath, LATCHKEY_SOCKET: agent.socketPath });
    expect(list.stderr).toBe('');
    expect(list.stdout).toMatch(/^\s*region\s+eu-west-1\s+config-file\s/m);
  });

  it("writes the --region, which the JS SDK's region loader reads for the profile", async () => {
    await setup('--region', 'ap-southeast-2');
    const region = await new Promise<string>((resolve, reject) => {
      const source = "new (require('@aws-sdk/client-sso').SSOClient)({}).config.region().then((r) => process.stdout.write(r))";
      execFile(process.execPath, ['-e', source], { env: { HOME: dir, AWS_CONFIG_FILE: configPath, AWS_PROFILE: 'Development-Developer' } }, (error, stdout) =>
        error === null ? resolve(stdout) : reject(error),
      );
    });
    expect(region).toBe('ap-southeast-2');
  });

  it('keeps a region edited inside the block on the next run, with or without another --region, and says so', async () => {
    await setup();
    const text = await readFile(configPath, 'utf8');
    await writeFile(configPath, text.replace('[profile Production-ReadOnly]\nregion = eu-west-1', '[profile Production-ReadOnly]\nregion = us-west-2'));
    expect(await setup()).toContain('are already up to date');
    const moved = await setup('--region', 'eu-central-1');
    expect(moved).toContain('  Production-ReadOnly  (222222222222 ReadOnly, region us-west-2 as you set it)\n');
    expect(await regions()).toEqual({ 'Development-Developer': 'eu-central-1', 'Development-ReadOnly': 'eu-central-1', 'Production-ReadOnly': 'us-west-2' });
    // The --region stays the block's region on a later run without one.
    expect(await setup()).toContain('are already up to date');
  });

  it('refuses a --region that is not a region code, with exit code 2, and leaves the file alone', async () => {
    const run = await runCli(cli.entry, ['setup-profiles', '--session', 'corp', '--region', 'Frankfurt'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('got region "Frankfurt", which is not an AWS region code such as eu-west-1');
    expect(await readFile(configPath, 'utf8')).toBe(USER_CONFIG);
  });

  it("takes the agent's sso_region when the file being written has no such sso-session", async () => {
    await writeFile(configPath, '[default]\noutput = json\n');
    agent.route('GET /v1/status', () => ({
      status: 200,
      body: { version: '0.1.0', pid: 1, configFile: join(dir, 'other-config'), problems: [], sessions: [{ name: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'ca-central-1', state: 'signed-in' }] },
    }));
    await setup();
    expect(new Set(Object.values(regionsIn(await readFile(configPath, 'utf8'))))).toEqual(new Set(['ca-central-1']));
  });
});

/** Regions of the block's profiles, read the way the block writes them (the file may lack the sso-session). */
function regionsIn(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^\[profile (\S+)\]\nregion = (\S+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

function accountsAnswer(account: Record<string, unknown>): FakeRoute {
  return () => ({ status: 200, body: { accounts: [{ accountId: '111111111111', accountName: 'Development', roles: ['Developer'], ...account }] } });
}
