import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAgent, fakeError } from '../../support/fake-agent';
import { buildCli, type BuiltCli } from './build-cli';
import { runCli } from './run-cli';

/**
 * A fake or compromised agent is a source of hostile text like any server: nothing it
 * sends may repaint the terminal (escape sequences, carriage returns) or reorder what is
 * shown (bidi overrides). --json output is left as JSON writes it.
 */
const CLEAR_SCREEN = '\x1b[2J\x1b[H';
const OVERWRITE = '\rApproved by your administrator';
const BIDI = '\u202E';
/** Anything but a line feed that moves the cursor, starts an escape, or reorders text, as it reached the terminal. */
function terminalControls(text: string): string[] {
  return Array.from(text).filter((char) => {
    const code = char.codePointAt(0) ?? 0;
    return (code < 0x20 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
  });
}

let cli: BuiltCli;
let dir: string;
let agent: FakeAgent;
let env: Record<string, string>;

beforeAll(async () => {
  cli = await buildCli();
});

afterAll(async () => {
  await rm(cli.dir, { recursive: true, force: true });
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-hostile-'));
  agent = await FakeAgent.start(join(dir, 'agent.sock'));
  env = { LATCHKEY_SOCKET: agent.socketPath, HOME: dir, NO_COLOR: '1' };
});

afterEach(async () => {
  await agent.close();
  await rm(dir, { recursive: true, force: true });
});

const status = {
  version: `0.1.0${CLEAR_SCREEN}`,
  pid: 4242,
  interactive: false,
  configFile: `/home/ana/.aws/config${OVERWRITE}`,
  problems: [`/home/ana/.aws/config: [profile x]${CLEAR_SCREEN} names no account.`],
  configWarnings: [`/home/ana/.aws/config line 2: [profile x${CLEAR_SCREEN}]; the AWS CLI reads it${OVERWRITE}.`],
  sessions: [
    { name: `corp${BIDI}`, startUrl: `https://corp.awsapps.com/start${CLEAR_SCREEN}`, region: 'eu-west-1', state: 'signed-out', refreshable: false },
    { name: 'lab', startUrl: 'https://lab.awsapps.com/start', region: `us-east-1${OVERWRITE}`, state: 'signing-in' },
  ],
};

describe('text from the agent on the terminal', () => {
  it.each([
    ['an escape sequence', `Session corp is not signed in.${CLEAR_SCREEN}`],
    ['a carriage return', `Something failed.${OVERWRITE}`],
    ['a bidi override', `Something failed ${BIDI}.gnihton`],
  ])('an error message with %s is printed with it replaced', async (_name, message) => {
    agent.route('GET /v1/sessions/corp/accounts', () => fakeError(502, 'server_error', message));
    const run = await runCli(cli.entry, ['accounts', '--session', 'corp'], env);
    expect(run.code).toBe(1);
    expect(run.stderr.startsWith('latchkey: ')).toBe(true);
    expect(terminalControls(run.stderr)).toEqual([]);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('keeps the line breaks of a multi-line error, and the debug stack clean', async () => {
    agent.route('GET /v1/sessions/corp/accounts', () => fakeError(400, 'config_error', `first problem${CLEAR_SCREEN}\nsecond problem`));
    const run = await runCli(cli.entry, ['accounts', '--session', 'corp'], { ...env, LATCHKEY_DEBUG: '1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('latchkey: first problem\uFFFD[2J\uFFFD[H\nsecond problem\n');
    expect(terminalControls(run.stderr)).toEqual([]);
  });

  it('status text shows no control character the agent sent', async () => {
    agent.route('GET /v1/status', () => ({ status: 200, body: status }));
    const run = await runCli(cli.entry, ['status'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('run "latchkey login --session corp\uFFFD"');
    expect(run.stdout).toContain('/home/ana/.aws/config line 2: [profile x\uFFFD[2J\uFFFD[H]; the AWS CLI reads it\uFFFDApproved by your administrator.');
    expect(terminalControls(run.stdout)).toEqual([]);
  });

  it('status --json is the JSON of what the agent sent, untouched', async () => {
    agent.route('GET /v1/status', () => ({ status: 200, body: status }));
    const run = await runCli(cli.entry, ['status', '--json'], env);
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.stdout) as { configFile: string; sessions: { name: string }[] };
    expect(parsed.configFile).toBe(status.configFile);
    expect(parsed.sessions[0]?.name).toBe(`corp${BIDI}`);
  });

  it('accounts shows an account name with an escape sequence cleaned', async () => {
    agent.route('GET /v1/sessions/corp/accounts', () => ({
      status: 200,
      body: { accounts: [{ accountId: '111111111111', accountName: `Development${CLEAR_SCREEN}`, roles: ['Developer'] }] },
    }));
    const run = await runCli(cli.entry, ['accounts', '--session', 'corp'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('111111111111  Development\uFFFD[2J\uFFFD[H  Developer\n');
  });

  it('accounts refuses a role name that is not an IAM role name, in one sentence', async () => {
    agent.route('GET /v1/sessions/corp/accounts', () => ({
      status: 200,
      body: { accounts: [{ accountId: '111111111111', accountName: 'Development', roles: [`Developer${CLEAR_SCREEN}`] }] },
    }));
    const run = await runCli(cli.entry, ['accounts', '--session', 'corp'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('latchkey: The Latchkey agent sent an answer without a valid "roles".\n');
  });

  it('login shows the user code and addresses of a sign-in event without their control characters', async () => {
    const progress = {
      type: 'code-issued',
      userCode: `WDJB-MJHT${CLEAR_SCREEN}`,
      verificationUri: `https://device.sso.us-east-1.amazonaws.com/${OVERWRITE}`,
      verificationUriComplete: `https://device.sso.us-east-1.amazonaws.com/?user_code=WDJB-MJHT${BIDI}`,
      expiresAt: '2099-01-01T00:00:00Z',
    };
    agent.route('POST /v1/sessions/corp/sign-in', () => {
      setTimeout(() => agent.emit({ type: 'sign-in-progress', session: 'corp', progress }), 20);
      return { status: 202, body: { state: 'signing-in' } };
    });
    agent.route('POST /v1/sessions/corp/sign-in/wait', async () => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return { status: 200, body: { state: 'signed-in' } };
    });
    const run = await runCli(cli.entry, ['login', '--session', 'corp', '--device-code', '--no-browser'], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('WDJB-MJHT\uFFFD[2J\uFFFD[H');
    expect(terminalControls(run.stderr)).toEqual([]);
  });
});
