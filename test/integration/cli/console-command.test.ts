import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../../main/core/logger';
import { installFakeXdgOpen } from '../../support/fake-xdg-open';
import { AgentHarness } from '../agent/agent-harness';
import { cliSuite } from './cli-suite';
import { runCli } from './run-cli';

// `latchkey console` (issue 13) against the emulator's federation endpoint, selected with
// AWS_ENDPOINT_URL_SIGNIN as the AgentHarness sets it: the sign-in URL signs the browser
// in and lands on the destination, and it reaches stdout only with --print, never stderr,
// the agent's log or the browser's command line.

const suite = cliSuite();
const LAUNCH_LINK = /^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{22}$/;

/** Every line the agent logs, with its fields, as one searchable text. */
function recordingLogger(lines: string[]): Logger {
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

function cliEnv(h: AgentHarness): Record<string, string> {
  return { LATCHKEY_SOCKET: h.socketPath, HOME: h.dir, AWS_CONFIG_FILE: h.env.AWS_CONFIG_FILE, NO_COLOR: '1' };
}

/** A signed-in agent whose log lines go into `logLines`. */
async function signedIn(logLines: string[] = []): Promise<AgentHarness> {
  const h = suite.closesAfterTest(await AgentHarness.start({ agent: { logger: recordingLogger(logLines) } }));
  expect((await h.signIn()).status).toBe(200);
  return h;
}

/** Follows one redirect by hand, as a browser would, without going past it. */
async function redirectOf(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.text();
  expect(response.status).toBe(302);
  return response.headers.get('location') ?? '';
}

describe('latchkey console --print', () => {
  it('prints a sign-in URL that logs in as the role and lands on the console home of the session region', async () => {
    const logLines: string[] = [];
    const h = await signedIn(logLines);
    const run = await runCli(suite.cli.entry, ['console', '--session', 'corp', '--account', '111111111111', '--role', 'Developer', '--print'], cliEnv(h));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const url = new URL(run.stdout.trim());
    expect(`${url.origin}${url.pathname}`).toBe(`${h.emulator.baseUrl}/federation`);
    expect(url.searchParams.get('Action')).toBe('login');
    expect(url.searchParams.get('Issuer')).toBe('Latchkey');
    const token = url.searchParams.get('SigninToken') ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(await redirectOf(url.href)).toBe('https://console.aws.amazon.com/console/home?region=us-east-1');
    expect(await h.emulatorAdmin('GET', 'console-logins')).toMatchObject({ logins: [{ accountId: '111111111111', roleName: 'Developer', issuer: 'Latchkey' }] });
    expect(logLines.join('\n')).not.toContain(token);
  });

  it('lands on a service console in the region asked for, for a profile', async () => {
    const h = await signedIn();
    const run = await runCli(suite.cli.entry, ['console', '--profile', 'dev', '--destination', 's3', '--region', 'eu-west-1', '--print'], cliEnv(h));
    expect(run.code).toBe(0);
    expect(await redirectOf(run.stdout.trim())).toBe('https://console.aws.amazon.com/s3/home?region=eu-west-1');
  });

  it('takes the account by its name, and lists the matches when the name is ambiguous', async () => {
    const h = await signedIn();
    const byName = await runCli(suite.cli.entry, ['console', '--session', 'corp', '--account', 'production', '--role', 'ReadOnly', '--print'], cliEnv(h));
    expect(byName.code).toBe(0);
    await redirectOf(byName.stdout.trim());
    expect(await h.emulatorAdmin('GET', 'console-logins')).toMatchObject({ logins: [{ accountId: '222222222222', roleName: 'ReadOnly' }] });

    const ambiguous = await runCli(suite.cli.entry, ['console', '--session', 'corp', '--account', 'o', '--role', 'ReadOnly', '--print'], cliEnv(h));
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stdout).toBe('');
    expect(ambiguous.stderr).toBe(
      'latchkey: The account name "o" matches 2 accounts: Development (111111111111), Production (222222222222); name one by its id or its full name.\n',
    );
  });

  it.each([
    [['--destination', 'https://evil.example/'], /destination URL must be an https page of the AWS console/],
    [['--destination', 'http://console.aws.amazon.com/'], /destination URL must be an https page of the AWS console/],
    [['--region', 'cn-north-1'], /not in the partition of corp's accounts \(aws\)/],
  ])('refuses %j with one sentence and no URL', async (extra, message) => {
    const h = await signedIn();
    const run = await runCli(suite.cli.entry, ['console', '--profile', 'dev', ...extra, '--print'], cliEnv(h));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect((await h.calls())['GetSigninToken']).toBe(0);
  });

  it('says to sign in when the session is signed out', async () => {
    const h = suite.closesAfterTest(await AgentHarness.start());
    const run = await runCli(suite.cli.entry, ['console', '--profile', 'dev', '--print'], cliEnv(h));
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/latchkey login --session corp/);
  });

  it('reports a sign-in endpoint that refuses the credentials, without a URL', async () => {
    const h = await signedIn();
    await h.emulatorAdmin('POST', 'faults', { operation: 'GetSigninToken', status: 400, count: 1 });
    const run = await runCli(suite.cli.entry, ['console', '--profile', 'dev', '--print'], cliEnv(h));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/GetSigninToken failed: the AWS sign-in endpoint refused the role's credentials for a console sign-in \(HTTP 400\)/);
  });
});

describe('latchkey console, opening the browser', () => {
  let browserDir: string;
  let restorePath: () => void;

  beforeAll(async () => {
    browserDir = await mkdtemp(join(tmpdir(), 'lk-console-browser-'));
    // A browser that follows each redirect by hand and, once done, writes one line per
    // visit: what it was started with and where each redirect led.
    restorePath = await installFakeXdgOpen(browserDir, [
      "import { appendFileSync } from 'node:fs';",
      'const [url] = process.argv.slice(2);',
      `const log = ${JSON.stringify(join(browserDir, 'visits.log'))};`,
      'const locations = [];',
      'let next = url;',
      "while (next !== null && !next.startsWith('https://')) {",
      "  const response = await fetch(next, { redirect: 'manual' });",
      '  await response.text();',
      "  next = response.headers.get('location');",
      '  locations.push(next);',
      '}',
      "appendFileSync(log, JSON.stringify({ argv: process.argv.slice(2), locations }) + '\\n');",
    ]);
  });

  afterAll(async () => {
    restorePath();
    await rm(browserDir, { recursive: true, force: true });
  });

  /** The browser's visit that reached an https page: the console (the sign-in's own visit ends on the loopback callback). */
  async function consoleVisit(): Promise<{ argv: string[]; locations: (string | null)[] }> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const text = await readFile(join(browserDir, 'visits.log'), 'utf8').catch(() => '');
      const visits = text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { argv: string[]; locations: (string | null)[] });
      const reached = visits.find((visit) => visit.locations.at(-1)?.startsWith('https://') === true);
      if (reached !== undefined) return reached;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('The fake browser never reached the console.');
  }

  it('hands the browser a one-shot launch link that signs in and lands on the destination, and no secret anywhere else', async () => {
    const logLines: string[] = [];
    const h = suite.closesAfterTest(await AgentHarness.start({ agent: { openBrowser: undefined, logger: recordingLogger(logLines) } }));
    expect((await h.signIn()).status).toBe(200);
    const run = await runCli(suite.cli.entry, ['console', '--profile', 'dev', '--destination', 'ec2'], { ...cliEnv(h), DISPLAY: ':99' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('Opened the AWS console as Developer in 111111111111: https://console.aws.amazon.com/ec2/home?region=us-east-1\n');
    const visit = await consoleVisit();
    expect(visit.argv).toHaveLength(1);
    expect(visit.argv[0]).toMatch(LAUNCH_LINK);
    expect(visit.locations).toHaveLength(2);
    const login = new URL(visit.locations[0] ?? '');
    expect(`${login.origin}${login.pathname}`).toBe(`${h.emulator.baseUrl}/federation`);
    expect(visit.locations[1]).toBe('https://console.aws.amazon.com/ec2/home?region=us-east-1');
    const token = login.searchParams.get('SigninToken') ?? '';
    expect(token).not.toBe('');
    for (const text of [run.stdout, run.stderr, logLines.join('\n'), visit.argv.join(' ')]) expect(text).not.toContain(token);
    expect(await h.emulatorAdmin('GET', 'console-logins')).toMatchObject({ logins: [{ roleName: 'Developer', destination: 'https://console.aws.amazon.com/ec2/home?region=us-east-1' }] });
  });
});
