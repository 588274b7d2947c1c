import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAgent, fakeError, type FakeRequest } from '../../support/fake-agent';
import { buildCli, type BuiltCli } from './build-cli';
import { runCli } from './run-cli';

const CREDENTIALS = {
  AccessKeyId: 'ASIAFAKEKEY',
  SecretAccessKey: "se'cret/with$chars",
  SessionToken: 'token+/=',
  Expiration: '2026-11-28T17:42:00.000Z',
  AccountId: '111111111111',
};

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
  dir = await mkdtemp(join(tmpdir(), 'latchkey-cli-'));
  const socketPath = join(dir, 'agent.sock');
  agent = await FakeAgent.start(socketPath, {
    'GET /v1/credentials': () => ({ status: 200, body: CREDENTIALS }),
  });
  env = { LATCHKEY_SOCKET: socketPath, HOME: dir, NO_COLOR: '1' };
});

afterEach(async () => {
  await agent.close();
  await rm(dir, { recursive: true, force: true });
});

function lastRequest(method: string, path: string): FakeRequest | undefined {
  return agent.requests.filter((r) => r.method === method && r.url.pathname === path).at(-1);
}

describe('latchkey credential-process', () => {
  it('prints exactly the credential_process JSON, Expiration in RFC 3339 UTC seconds', async () => {
    const run = await runCli(cli.entry, ['credential-process', '--profile', 'dev'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      '{"Version":1,"AccessKeyId":"ASIAFAKEKEY","SecretAccessKey":"se\'cret/with$chars","SessionToken":"token+/=","Expiration":"2026-11-28T17:42:00Z"}\n',
    );
  });

  it.each([
    // The usual call is answered on the fast path, which never waits (fast-credential-process.ts).
    [['--profile', 'dev'], { profile: 'dev', waitSeconds: '0' }],
    [['--profile', 'dev', '--no-wait'], { profile: 'dev', waitSeconds: '0' }],
    // The full CLI asks without waiting first too: it waits only when the agent's answer says a sign-in can end the wait.
    [['--session', 'corp', '--account', '111111111111', '--role', 'Admin'], { session: 'corp', accountId: '111111111111', roleName: 'Admin', waitSeconds: '0' }],
  ])('asks the agent for %j with query %j', async (args, query) => {
    const run = await runCli(cli.entry, ['credential-process', ...args], env);
    expect(run.code).toBe(0);
    const request = lastRequest('GET', '/v1/credentials');
    expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual(query);
  });

  it('asks again, waiting for a sign-in, when the agent says the desktop app can offer one', async () => {
    agent.route('GET /v1/credentials', () => ({
      status: 401,
      body: { error: { code: 'signed_out', message: 'corp was not signed in within 2 minutes; run "latchkey login --session corp", then run this again.', signIn: { session: 'corp', app: true } } },
    }));
    const run = await runCli(cli.entry, ['credential-process', '--profile', 'dev'], env);
    expect(run.code).toBe(3);
    const waits = agent.requests.filter((r) => r.url.pathname === '/v1/credentials').map((r) => r.url.searchParams.get('waitSeconds'));
    expect(waits).toEqual(['0', '0', '120']);
    expect(run.stderr).toBe('latchkey: corp was not signed in within 2 minutes; run "latchkey login --session corp", then run this again.\n');
  });

  it('does not wait when nobody can sign the session in (a headless agent, no sign-in in flight)', async () => {
    agent.route('GET /v1/credentials', () => fakeError(401, 'signed_out', 'Session "corp" is not signed in; run "latchkey login --session corp".'));
    const run = await runCli(cli.entry, ['credential-process', '--profile', 'dev'], env);
    expect(run.code).toBe(3);
    const waits = agent.requests.filter((r) => r.url.pathname === '/v1/credentials').map((r) => r.url.searchParams.get('waitSeconds'));
    expect(waits).toEqual(['0', '0']);
    expect(run.stderr).toBe('latchkey: Session "corp" is not signed in; run "latchkey login --session corp".\n');
  });

  it('exits 3 with the login command when the agent answers 401', async () => {
    agent.route('GET /v1/credentials', () =>
      fakeError(401, 'signed_out', 'Session "corp" is not signed in; run "latchkey login --session corp".'),
    );
    const run = await runCli(cli.entry, ['credential-process', '--profile', 'dev', '--no-wait'], env);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('latchkey: Session "corp" is not signed in; run "latchkey login --session corp".\n');
  });

  it('names the login command itself when the 401 message does not', async () => {
    agent.route('GET /v1/credentials', () => ({ status: 401 }));
    const run = await runCli(cli.entry, ['credential-process', '--session', 'corp', '--account', '111111111111', '--role', 'R'], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('latchkey login --session corp');
  });

  it.each([
    [404, 'not_found', 1],
    [502, 'network_error', 1],
    [400, 'config_error', 1],
    [500, 'some_future_code', 1],
  ])('exits 1 for a %i %s answer, with one line on stderr and no stack', async (status, code, exit) => {
    agent.route('GET /v1/credentials', () => fakeError(status, code, 'Something went wrong.'));
    const run = await runCli(cli.entry, ['credential-process', '--profile', 'dev'], env);
    expect(run.code).toBe(exit);
    expect(run.stderr).toBe('latchkey: Something went wrong.\n');
  });

  it('prints the stack with LATCHKEY_DEBUG=1', async () => {
    agent.route('GET /v1/credentials', () => fakeError(500, 'server_error', 'Boom.'));
    const run = await runCli(cli.entry, ['credential-process', '--profile', 'dev'], { ...env, LATCHKEY_DEBUG: '1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('rejects a malformed answer without echoing it (it may hold secrets)', async () => {
    agent.route('GET /v1/credentials', () => ({ status: 200, body: { AccessKeyId: 'ASIA', SecretAccessKey: 'leak-me' } }));
    const run = await runCli(cli.entry, ['credential-process', '--profile', 'dev'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('leak-me');
    expect(run.stderr).toMatch(/^latchkey: .*SessionToken.*\n$/);
  });
});

describe('usage errors', () => {
  it.each([
    [['frobnicate']],
    [['credential-process']],
    [['credential-process', '--profile', 'a', '--session', 'b']],
    [['login']],
    [['login', '--session', 'a', '--pkce', '--device-code']],
    [['logout']],
    [['exec', '--profile', 'p']],
    [['export', '--profile', 'p', '--format', 'yaml']],
    [['status', '--bogus']],
  ])('exits 2 for %j without calling the agent', async (args) => {
    const run = await runCli(cli.entry, args, env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^latchkey: .*--help.*\n$/);
    expect(agent.requests).toEqual([]);
  });

  it.each(['login', 'logout', 'status', 'accounts', 'credential-process', 'export', 'exec', 'setup-profiles', 'agent'])(
    '%s --help prints its usage and exits 0',
    async (name) => {
      const run = await runCli(cli.entry, [name, '--help'], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: latchkey ${name}`);
    },
  );
});

describe('latchkey export', () => {
  it('prints shell export lines that a shell reads back exactly', async () => {
    const run = await runCli(cli.entry, ['export', '--profile', 'dev'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "export AWS_ACCESS_KEY_ID='ASIAFAKEKEY'\n" +
        "export AWS_SECRET_ACCESS_KEY='se'\\''cret/with$chars'\n" +
        "export AWS_SESSION_TOKEN='token+/='\n" +
        "export AWS_CREDENTIAL_EXPIRATION='2026-11-28T17:42:00Z'\n",
    );
    const readBack = execFileSync('sh', ['-c', `${run.stdout}\nprintf %s "$AWS_SECRET_ACCESS_KEY"`], { encoding: 'utf8' });
    expect(readBack).toBe(CREDENTIALS.SecretAccessKey);
  });

  it('asks for the profile AWS_PROFILE names when no --profile is given', async () => {
    const run = await runCli(cli.entry, ['export', '--format', 'json'], { ...env, AWS_PROFILE: 'dev' });
    expect(run.code).toBe(0);
    expect(lastRequest('GET', '/v1/credentials')?.url.searchParams.get('profile')).toBe('dev');
  });

  it('prints the credential_process JSON with --format json', async () => {
    const run = await runCli(cli.entry, ['export', '--profile', 'dev', '--format', 'json'], env);
    expect(run.stdout).toBe(
      '{"Version":1,"AccessKeyId":"ASIAFAKEKEY","SecretAccessKey":"se\'cret/with$chars","SessionToken":"token+/=","Expiration":"2026-11-28T17:42:00Z"}\n',
    );
  });
});

describe('latchkey status and accounts', () => {
  const status = {
    version: '0.1.0',
    pid: 4242,
    interactive: false,
    configFile: '/home/ana/.aws/config',
    problems: ['/home/ana/.aws/config: [profile x] names no account.'],
    configWarnings: ['/home/ana/.aws/config line 4: Region has capital letters; the AWS CLI, botocore and Latchkey read it as region, the JS SDK does not find it under that name: write it in lower case.'],
    sessions: [
      { name: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', state: 'signed-in', accessTokenExpiresAt: '2099-01-01T00:00:00Z', refreshable: true },
      { name: 'lab', startUrl: 'https://lab.awsapps.com/start', region: 'us-east-1', state: 'signed-out', refreshable: false },
      {
        name: 'ops',
        startUrl: 'https://ops.awsapps.com/start',
        region: 'us-east-1',
        state: 'signed-out',
        refreshable: false,
        signedOut: { reason: 'ended-by-aws', at: '2026-12-02T14:02:00Z' },
      },
    ],
    store: { name: 'kernel-keyring', reason: 'no Secret Service on this machine' } as { name: string; reason: string } | undefined,
  };

  it('prints the documented --json shape', async () => {
    agent.route('GET /v1/status', () => ({ status: 200, body: status }));
    const run = await runCli(cli.entry, ['status', '--json'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      version: '0.1.0',
      agentPid: 4242,
      configFile: '/home/ana/.aws/config',
      configFileMissing: false,
      problems: ['/home/ana/.aws/config: [profile x] names no account.'],
      configWarnings: [status.configWarnings[0]],
      sessions: [
        { name: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', state: 'signed-in', accessTokenExpiresAt: '2099-01-01T00:00:00Z', refreshable: true, signedOut: null },
        { name: 'lab', startUrl: 'https://lab.awsapps.com/start', region: 'us-east-1', state: 'signed-out', accessTokenExpiresAt: null, refreshable: false, signedOut: null },
        {
          name: 'ops',
          startUrl: 'https://ops.awsapps.com/start',
          region: 'us-east-1',
          state: 'signed-out',
          accessTokenExpiresAt: null,
          refreshable: false,
          signedOut: { reason: 'ended-by-aws', at: '2026-12-02T14:02:00Z' },
        },
      ],
      store: { name: 'kernel-keyring', reason: 'no Secret Service on this machine' },
    });
  });

  it('prints store as null when an older agent does not say where it keeps secrets', async () => {
    const older: Partial<typeof status> = { ...status };
    delete older.store;
    agent.route('GET /v1/status', () => ({ status: 200, body: older }));
    const run = await runCli(cli.entry, ['status', '--json'], env);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { store: unknown }).store).toBeNull();
  });

  it('refuses a status whose store is not one it knows, as from a fake agent', async () => {
    agent.route('GET /v1/status', () => ({ status: 200, body: { ...status, store: { name: 'plain-file', reason: 'x' } } }));
    const run = await runCli(cli.entry, ['status', '--json'], env);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
  });

  it('prints one line per session for people, without colour codes when piped', async () => {
    agent.route('GET /v1/status', () => ({ status: 200, body: status }));
    const run = await runCli(cli.entry, ['status'], { ...env, NO_COLOR: '' });
    expect(run.stdout).not.toContain('\x1b');
    expect(run.stdout).toMatch(/^corp {2}signed in {3}until .* left, renews by itself\) {2}https:\/\/corp/m);
    expect(run.stdout).toMatch(/^lab {3}signed out {2}run "latchkey login --session lab"/m);
    // Why it is signed out, when the agent saw it: AWS ended it, which a person should know.
    // "at 14:02", or "at Wed 14:02" when that moment was on another day.
    expect(run.stdout).toMatch(/^ops {3}signed out {2}at (\S+ )?\S+ AWS ended this sign-in \(aws sso logout, a sign-out on the portal, or an administrator\); run "latchkey login --session ops"/m);
    expect(run.stdout).toContain('Problems in the AWS config:');
    expect(run.stdout).toContain(`Read differently by the AWS CLI and the JS SDK:\n  ${status.configWarnings[0]}\n`);
    expect(run.stdout).toMatch(/\n\nSecrets are kept in the kernel keyring: no Secret Service on this machine\.\n$/);
  });

  it.each([
    // The year shows: neither moment is in this year, whenever the test runs.
    ['en_US.UTF-8', 'Jan 1, 2099, 5:42 PM', 'Jan 2, 2020, 2:02 PM'],
    ['de_DE.UTF-8', '1. Jan. 2099, 17:42', '2. Jan. 2020, 14:02'],
  ])('writes times in the locale LANG=%s names', async (lang, until, endedAt) => {
    const [corp, , ops] = status.sessions;
    const dated = {
      ...status,
      sessions: [
        { ...corp, accessTokenExpiresAt: '2099-01-01T17:42:00Z' },
        { ...ops, signedOut: { reason: 'ended-by-aws', at: '2020-01-02T14:02:00Z' } },
      ],
    };
    agent.route('GET /v1/status', () => ({ status: 200, body: dated }));
    const run = await runCli(cli.entry, ['status'], { ...env, LANG: lang, TZ: 'UTC' });
    expect(run.code).toBe(0);
    const corpLine = /^corp {2}signed in {3}until (.+) \(\d+ h( \d+ min)? left, renews by itself\) {2}https:\/\/corp/m.exec(run.stdout);
    expect(corpLine?.[1]).toBe(until);
    expect(run.stdout).toContain(`\nops   signed out  at ${endedAt} AWS ended this sign-in`);
  });

  it('says the config file does not exist, and how to create it, when the agent finds none', async () => {
    const missing = { ...status, configFileMissing: true, problems: [], configWarnings: [], sessions: [] };
    agent.route('GET /v1/status', () => ({ status: 200, body: missing }));
    const run = await runCli(cli.entry, ['status'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\/home\/ana\/\.aws\/config does not exist; create it with an \[sso-session NAME\] section/);
    expect(run.stdout).not.toContain('No [sso-session] sections');
    const json = await runCli(cli.entry, ['status', '--json'], env);
    expect((JSON.parse(json.stdout) as { configFileMissing: unknown }).configFileMissing).toBe(true);
  });

  it('prints an empty configWarnings list when an older agent sends none', async () => {
    const older: Partial<typeof status> = { ...status };
    delete older.configWarnings;
    agent.route('GET /v1/status', () => ({ status: 200, body: older }));
    const run = await runCli(cli.entry, ['status', '--json'], env);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { configWarnings: unknown }).configWarnings).toEqual([]);
  });

  it('lists accounts and roles, as text and as JSON', async () => {
    agent.route('GET /v1/sessions/corp/accounts', () => ({
      status: 200,
      body: { accounts: [{ accountId: '111111111111', accountName: 'Development', emailAddress: 'dev@example.com', roles: ['Developer', 'ReadOnly'] }] },
    }));
    const text = await runCli(cli.entry, ['accounts', '--session', 'corp'], env);
    expect(text.stdout).toBe('111111111111  Development  Developer, ReadOnly\n');
    const json = await runCli(cli.entry, ['accounts', '--session', 'corp', '--json'], env);
    expect(JSON.parse(json.stdout)).toEqual({
      session: 'corp',
      accounts: [{ accountId: '111111111111', accountName: 'Development', emailAddress: 'dev@example.com', roles: ['Developer', 'ReadOnly'] }],
    });
  });
});

describe('latchkey logout', () => {
  it.each([
    [['--session', 'corp'], '/v1/sessions/corp/sign-out', 'Signed out of corp.\n'],
    [['--all'], '/v1/sign-out', 'Signed out of every session.\n'],
  ])('%j posts %s', async (args, path, message) => {
    agent.route(`POST ${path}`, () => ({ status: 204 }));
    const run = await runCli(cli.entry, ['logout', ...args], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(message);
    expect(lastRequest('POST', path)).toBeDefined();
  });

  it('says on stderr until when a token stays valid at AWS when AWS could not be told, and still exits 0', async () => {
    agent.route('POST /v1/sign-out', () => ({
      status: 200,
      body: { state: 'signed-out', awsNotTold: [{ session: 'corp', code: 'network_error', tokenValidUntil: '2031-01-02T14:05:00Z' }] },
    }));
    const run = await runCli(cli.entry, ['logout', '--all'], { ...env, LANG: 'en_US.UTF-8', TZ: 'UTC' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Signed out of every session.\n');
    expect(run.stderr).toBe(
      'AWS could not be told of the sign-out of corp (network_error): its access token stays valid at AWS until Jan 2, 2031, 2:05 PM. Nothing on this computer holds it any more; to end it sooner, sign out on the AWS access portal.\n',
    );
  });

  it('refuses a sign-out answer naming a session with a control character', async () => {
    agent.route('POST /v1/sign-out', () => ({
      status: 200,
      body: { state: 'signed-out', awsNotTold: [{ session: 'corp\u001b[2J', code: 'network_error', tokenValidUntil: '2031-01-02T14:05:00Z' }] },
    }));
    const run = await runCli(cli.entry, ['logout', '--all'], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/without a valid "awsNotTold.session"/);
    expect(run.stderr).not.toContain('\u001b');
  });
});

describe('latchkey login', () => {
  const codeIssued = {
    type: 'sign-in-progress',
    session: 'corp',
    progress: {
      type: 'code-issued',
      userCode: 'WDJB-MJHT',
      verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
      verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=WDJB-MJHT',
      expiresAt: '2099-01-01T00:00:00Z',
    },
  };

  it('prints the code and address first, then signs in and exits 0', async () => {
    agent.route('POST /v1/sessions/corp/sign-in', () => {
      setTimeout(() => agent.emit({ type: 'sign-in-progress', session: 'other', progress: { ...codeIssued.progress, userCode: 'XXXX-XXXX' } }), 10);
      setTimeout(() => agent.emit(codeIssued), 20);
      return { status: 202, body: { state: 'signing-in' } };
    });
    agent.route('POST /v1/sessions/corp/sign-in/wait', async () => {
      await new Promise((r) => setTimeout(r, 150));
      return { status: 200, body: { state: 'signed-in', accessTokenExpiresAt: '2099-01-01T08:00:00Z' } };
    });
    const run = await runCli(cli.entry, ['login', '--session', 'corp', '--device-code', '--no-browser'], env);
    expect(run.code).toBe(0);
    expect(lastRequest('POST', '/v1/sessions/corp/sign-in')?.body).toEqual({ flow: 'device-code', openBrowser: false, requester: { command: 'latchkey login', pid: expect.any(Number) } });
    expect(run.stderr).toContain('WDJB-MJHT');
    expect(run.stderr).not.toContain('XXXX-XXXX');
    expect(run.stderr).toContain('https://device.sso.us-east-1.amazonaws.com/?user_code=WDJB-MJHT');
    expect(run.stderr.indexOf('WDJB-MJHT')).toBeLessThan(run.stderr.indexOf('Signed in to corp'));
    expect(run.stderr).not.toContain('\r'); // not a terminal: plain lines
    expect(run.stdout).toBe('');
  });

  it.each([
    ['en_US.UTF-8', 'Jan 1, 2099, 5:42 PM'],
    ['de_DE.UTF-8', '1. Jan. 2099, 17:42'],
  ])('says until when a signed-in session lasts in the locale LANG=%s names, and starts nothing', async (lang, until) => {
    agent.route('GET /v1/status', () => ({
      status: 200,
      body: {
        version: '0.1.0',
        pid: 4242,
        configFile: '/home/ana/.aws/config',
        problems: [],
        sessions: [{ name: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', state: 'signed-in', accessTokenExpiresAt: '2099-01-01T17:42:00Z', refreshable: false }],
      },
    }));
    const run = await runCli(cli.entry, ['login', '--session', 'corp'], { ...env, LANG: lang, TZ: 'UTC' });
    expect(run.code).toBe(0);
    const sentence = /^corp is signed in until (.+) \(\d+ h( \d+ min)? left; it does not renew\); run "latchkey login --session corp --force" to sign in again\.\n$/.exec(run.stderr);
    expect(sentence?.[1]).toBe(until);
    expect(lastRequest('POST', '/v1/sessions/corp/sign-in')).toBeUndefined();
  });

  it.each([
    ['access_denied', /declined in the browser/],
    ['expired_token', /expired before it was approved; run "latchkey login --session corp"/],
  ])('exits 1 with one sentence when the sign-in ends with %s', async (code, message) => {
    agent.route('POST /v1/sessions/corp/sign-in', () => ({ status: 202, body: { state: 'signing-in' } }));
    agent.route('POST /v1/sessions/corp/sign-in/wait', () => fakeError(409, code, 'x.'));
    const run = await runCli(cli.entry, ['login', '--session', 'corp', '--pkce'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
