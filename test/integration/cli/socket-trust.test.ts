import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAgent } from '../../support/fake-agent';
import { socketHttpExchange } from '../../../main/cli/socket-http';
import { AgentHarness } from '../agent/agent-harness';
import { createSecondUser, JsonLineLog, secondUserSkipReason, type SecondUser } from '../../support/second-user';
import { buildCli, type BuiltCli } from './build-cli';
import { runCli } from './run-cli';

// docs/security.md, "Another local user": a second user who gets to a victim's socket path
// first must receive nothing. The attacker is a real second user (useradd, setpriv), its
// fake agent answering every request with credentials of its own.

const skipReason = secondUserSkipReason();
if (skipReason !== undefined) console.warn(`Socket trust tests skipped: ${skipReason}.`);

const VICTIM_CREDENTIALS = {
  AccessKeyId: 'ASIAVICTIMVICTIMVICT',
  SecretAccessKey: 'victim-secret',
  SessionToken: 'victim-session-token',
  Expiration: '2099-01-01T00:00:00.000Z',
};

const CONFIG = `[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile dev]
credential_process = latchkey credential-process --profile dev
latchkey_session = corp
latchkey_account_id = 111111111111
latchkey_role_name = Developer
`;

interface AttackerLine {
  event: string;
  url?: string;
}

let cli: BuiltCli;
let attacker: SecondUser;
let fakeAgentScript: string;
let connectScript: string;
let flipScript: string;

beforeAll(async () => {
  if (skipReason !== undefined) return;
  cli = await buildCli();
  attacker = await createSecondUser();
  fakeAgentScript = await attacker.stage('test/support/attacker/fake-agent.mjs');
  connectScript = await attacker.stage('test/support/attacker/connect.mjs');
  flipScript = await attacker.stage('test/support/attacker/flip-directory.mjs');
});

afterAll(async () => {
  await attacker?.remove();
  if (cli !== undefined) await rm(cli.dir, { recursive: true, force: true });
});

let shared: string;
let home: string;
let env: Record<string, string>;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  // A stand-in for /tmp: world-writable and sticky.
  shared = await mkdtemp(join(tmpdir(), 'lk-shared-'));
  await chmod(shared, 0o1777);
  home = await mkdtemp(join(tmpdir(), 'lk-victim-'));
  await mkdir(join(home, '.aws'), { mode: 0o700 });
  await writeFile(join(home, '.aws', 'config'), CONFIG, { mode: 0o600 });
  // What su, cron and containers leave: no XDG_RUNTIME_DIR, TMPDIR a shared folder.
  env = { HOME: home, TMPDIR: shared, AWS_CONFIG_FILE: join(home, '.aws', 'config'), NO_COLOR: '1' };
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(shared, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

/** The attacker's fake agent listening at `socketPath`, in directories it creates itself. */
async function attackerAgent(socketPath: string): Promise<JsonLineLog<AttackerLine>> {
  const child = attacker.spawn(process.execPath, [fakeAgentScript, socketPath]);
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  const log = new JsonLineLog<AttackerLine>(child);
  await log.waitFor((line) => line.event === 'listening');
  return log;
}

/**
 * The requests the attacker received. A probe of our own goes last: the victim's CLI has
 * exited by then, so anything it sent arrived before the probe did.
 */
async function requestsReceived(log: JsonLineLog<AttackerLine>, socketPath: string): Promise<string[]> {
  await new Promise<void>((resolve, reject) => {
    const probe = request({ socketPath, path: '/probe', agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    probe.on('error', reject);
    probe.end();
  });
  await log.waitFor((line) => line.url === '/probe');
  return log.lines.filter((line) => line.event === 'request' && line.url !== '/probe').map((line) => line.url ?? '');
}

/** A legitimate agent of the victim at `socketPath`, serving the victim's credentials. */
async function victimAgent(socketPath: string): Promise<FakeAgent> {
  await mkdir(dirname(socketPath), { recursive: true, mode: 0o700 });
  const agent = await FakeAgent.start(socketPath, { 'GET /v1/credentials': () => ({ status: 200, body: VICTIM_CREDENTIALS }) });
  cleanups.push(() => agent.close());
  return agent;
}

describe.skipIf(skipReason !== undefined)('a socket path that another local user prepared', () => {
  it("is not where the socket lives without XDG_RUNTIME_DIR: the victim's own agent answers, the attacker hears nothing", async () => {
    const planted = join(shared, `latchkey-${process.getuid?.() ?? 0}`, 'agent.sock');
    const log = await attackerAgent(planted);
    await victimAgent(join(home, '.local', 'state', 'latchkey', 'agent.sock'));

    const run = await runCli(cli.entry, ['credential-process', '--profile', 'dev'], env);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ AccessKeyId: VICTIM_CREDENTIALS.AccessKeyId });
    expect(await requestsReceived(log, planted)).toEqual([]);
  });

  it.each([
    ['credential-process (the fast path)', ['credential-process', '--profile', 'dev']],
    ['credential-process (the full CLI)', ['credential-process', '--session', 'corp', '--account', '111111111111', '--role', 'Developer']],
    ['login', ['login', '--session', 'corp', '--device-code', '--no-browser']],
    ['setup-profiles', ['setup-profiles', '--session', 'corp']],
    ['status', ['status']],
    ['accounts', ['accounts', '--session', 'corp']],
    ['export', ['export', '--profile', 'dev']],
    ['exec', ['exec', '--profile', 'dev', '--', 'true']],
    ['logout', ['logout', '--session', 'corp']],
  ])('%s refuses a socket in a directory of another user with one sentence, and sends no request', async (_name, args) => {
    const planted = join(shared, 'latchkey-planted', 'agent.sock');
    const log = await attackerAgent(planted);

    const run = await runCli(cli.entry, args, { ...env, LATCHKEY_SOCKET: planted });

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `latchkey: The agent socket ${planted} is not safe to use: ${dirname(planted)} belongs to another user (uid ${attacker.uid}); set LATCHKEY_SOCKET to a path in a private directory of your own.\n`,
    );
    expect(await requestsReceived(log, planted)).toEqual([]);
    expect(await readFile(join(home, '.aws', 'config'), 'utf8')).toBe(CONFIG);
  });

  it("refuses a symlink in the victim's own directory that points at the attacker's socket", async () => {
    const planted = join(shared, 'latchkey-planted', 'agent.sock');
    const log = await attackerAgent(planted);
    const own = join(home, 'run');
    await mkdir(own, { mode: 0o700 });
    await symlink(planted, join(own, 'agent.sock'));

    const run = await runCli(cli.entry, ['credential-process', '--profile', 'dev'], { ...env, LATCHKEY_SOCKET: join(own, 'agent.sock') });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^latchkey: The agent socket .* is not safe to use: .*agent\.sock is a symlink; /);
    expect(await requestsReceived(log, planted)).toEqual([]);
  });

  it('refuses an XDG_RUNTIME_DIR that belongs to another user (as su leaves it)', async () => {
    const runtimeDir = join(shared, 'run-user-attacker');
    const planted = join(runtimeDir, 'latchkey', 'agent.sock');
    const log = await attackerAgent(planted);

    const run = await runCli(cli.entry, ['status'], { ...env, XDG_RUNTIME_DIR: runtimeDir });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`belongs to another user \\(uid ${attacker.uid}\\)`));
    expect(await requestsReceived(log, planted)).toEqual([]);
  });
});

describe.skipIf(skipReason !== undefined)("the victim's own agent socket", () => {
  it('cannot be connected to by another local user', async () => {
    const harness = await AgentHarness.start();
    cleanups.push(() => harness.close());
    const log = new JsonLineLog<{ event: string; outcome: string }>(attacker.spawn(process.execPath, [connectScript, harness.socketPath]));
    expect((await log.waitFor((line) => line.event === 'result')).outcome).toBe('EACCES');
    expect((await harness.request('GET', '/v1/status')).status).toBe(200);
  });
});

describe.skipIf(skipReason !== undefined)('a socket directory that does not exist yet, in a shared folder', () => {
  it('is never connected to, however another user races to create it', async () => {
    const target = join(shared, `latchkey-${process.getuid?.() ?? 0}`);
    const child = attacker.spawn(process.execPath, [flipScript, target]);
    cleanups.push(async () => {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    });
    const log = new JsonLineLog<{ event: string }>(child);
    await log.waitFor((line) => line.event === 'listening');

    const outcomes = { answered: 0, refused: 0, absent: 0 };
    for (let attempt = 0; attempt < 2000; attempt += 1) {
      try {
        await socketHttpExchange(join(target, 'agent.sock'), { method: 'GET', path: '/v1/credentials', headers: { Host: 'latchkey' }, timeoutMs: 1_000 });
        outcomes.answered += 1;
      } catch (error) {
        if (/belongs to another user/.test((error as Error).message)) outcomes.refused += 1;
        else outcomes.absent += 1;
      }
    }

    expect(outcomes.answered).toBe(0);
    // The race was live: the attacker's directory was there for some of the attempts.
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(log.lines.filter((line) => line.event === 'connection')).toEqual([]);
  });
});
