import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAgent } from '../../support/fake-agent';
import { startConnectProxy } from '../../unit/aws/support/connect-proxy';
import { closeServer, listen } from '../../unit/aws/support/stub-server';
import { AgentHarness, shortTempDir } from '../agent/agent-harness';
import { cliSuite } from './cli-suite';
import { runCli, type CliRun } from './run-cli';

// `latchkey doctor` (issue 12, item 6): each check's failure line, its fix, and the exit
// code, through whichever entry point this project runs (run-cli.ts).

const suite = cliSuite();

const CONFIG = `[sso-session corp]
sso_start_url = https://corp.example.com/start
sso_region = us-east-1
`;

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

/** A running agent and emulator whose config has one clean session, and the env a command gets. */
async function healthy(): Promise<{ h: AgentHarness; env: Record<string, string> }> {
  const h = suite.closesAfterTest(await AgentHarness.start({ config: CONFIG }));
  return { h, env: { ...h.env, LATCHKEY_SOCKET: h.socketPath, HOME: h.dir, NO_COLOR: '1' } };
}

function doctor(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  return runCli(suite.cli.entry, ['doctor', ...args], env);
}

/** The line of one check, and the fix lines under it. */
function section(stdout: string, id: string): string {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.slice(6).startsWith(`${id} `));
  if (start === -1) throw new Error(`no "${id}" line in:\n${stdout}`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => !line.startsWith(' '));
  return [lines[start], ...rest.slice(0, end === -1 ? rest.length : end)].join('\n');
}

/** A server answering every request 404 with a Date header `offsetMs` away from now. */
async function skewedServer(offsetMs: number): Promise<string> {
  const server: Server = createServer((_req, res) => {
    res.sendDate = false;
    res.writeHead(404, { date: new Date(Date.now() + offsetMs).toUTCString() });
    res.end();
  });
  const port = await listen(server);
  open.push({ close: () => closeServer(server) });
  return `http://127.0.0.1:${port}`;
}

describe('latchkey doctor', () => {
  it('passes every check against a running agent and a reachable endpoint, and exits 0', async () => {
    const { h, env } = await healthy();
    const run = await doctor(env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 6).map((line) => line.slice(6, 15).trim())).toEqual(['config', 'agent', 'socket', 'store', 'endpoints', 'clock']);
    expect(section(run.stdout, 'config')).toBe(`ok    config     ${h.env.AWS_CONFIG_FILE}: 1 sso-session (corp)`);
    expect(section(run.stdout, 'agent')).toMatch(new RegExp(`^ok    agent      pid ${process.pid}, version .+, reads ${h.env.AWS_CONFIG_FILE}$`));
    expect(section(run.stdout, 'socket')).toBe(`ok    socket     ${h.socketPath} is this user's alone`);
    expect(section(run.stdout, 'endpoints')).toBe(`ok    endpoints  ${new URL(h.emulator.baseUrl).host} answered (HTTP 404)`);
    expect(section(run.stdout, 'clock')).toMatch(/^ok {4}clock {6}in step with /);
    expect(run.stdout).toContain('Everything Latchkey needs here works.');
  });

  it('--json prints every check with its id, state, summary and fixes', async () => {
    const { env } = await healthy();
    const run = await doctor(env, '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; checks: { id: string; state: string; summary: string; fixes: string[] }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.id, Object.keys(c)])).toEqual(
      ['config', 'agent', 'socket', 'store', 'endpoints', 'clock'].map((id) => [id, ['id', 'state', 'summary', 'fixes']]),
    );
  });

  it('fails the config when the file does not exist, saying how to create it', async () => {
    const dir = await shortTempDir();
    const file = join(dir, 'nowhere');
    const run = await doctor({ AWS_CONFIG_FILE: file, HOME: dir, LATCHKEY_SOCKET: join(dir, 'a.sock'), NO_COLOR: '1' });
    expect(run.code).toBe(1);
    expect(section(run.stdout, 'config')).toBe(
      `FAIL  config     ${file} does not exist\n                 ${file} does not exist; create it with an [sso-session NAME] section holding sso_start_url (your AWS access portal URL) and sso_region, then run "latchkey login --session NAME" and "latchkey setup-profiles --session NAME" (or set AWS_CONFIG_FILE to the config you use).`,
    );
    expect(section(run.stdout, 'endpoints')).toBe('skip  endpoints  no sso-session region to check');
  });

  it('fails the config without an [sso-session], and names each problem the reader found', async () => {
    const dir = await shortTempDir();
    const empty = join(dir, 'empty');
    await writeFile(empty, '[default]\nregion = eu-west-1\n');
    const none = await doctor({ AWS_CONFIG_FILE: empty, HOME: dir, LATCHKEY_SOCKET: join(dir, 'a.sock'), NO_COLOR: '1' });
    expect(none.code).toBe(1);
    expect(section(none.stdout, 'config')).toBe(`FAIL  config     ${empty} has no [sso-session] section\n                 Add one with sso_start_url and sso_region (see "aws configure sso-session").`);
    const broken = join(dir, 'broken');
    await writeFile(broken, `${CONFIG}\n[profile dev]\nlatchkey_session = nope\nlatchkey_account_id = 111111111111\nlatchkey_role_name = Dev\n`);
    const problems = await doctor({ AWS_CONFIG_FILE: broken, HOME: dir, LATCHKEY_SOCKET: join(dir, 'a.sock'), NO_COLOR: '1' });
    expect(problems.code).toBe(1);
    expect(section(problems.stdout, 'config')).toMatch(new RegExp(`^FAIL  config     ${broken} has 1 problem\n {17}.*\\[profile dev\\].*nope`));
  });

  it('fails the agent when none answers, says how to start one, and starts none', async () => {
    const dir = await shortTempDir();
    await writeFile(join(dir, 'config'), CONFIG);
    const socketDir = join(dir, 'run');
    await mkdir(socketDir, { mode: 0o700 });
    const socket = join(socketDir, 'a.sock');
    const run = await doctor({ AWS_CONFIG_FILE: join(dir, 'config'), AWS_ENDPOINT_URL_SSO_OIDC: await skewedServer(0), HOME: dir, LATCHKEY_SOCKET: socket, NO_COLOR: '1' });
    expect(run.code).toBe(1);
    expect(section(run.stdout, 'agent')).toBe(
      `FAIL  agent      no Latchkey agent answers on ${socket}\n                 Start one: any command (latchkey status) starts one in the background, or run "latchkey agent" to keep one in the foreground; doctor starts none.`,
    );
    expect(section(run.stdout, 'store')).toBe('skip  store      no agent to ask');
    // The checks that need no agent still ran.
    expect(section(run.stdout, 'endpoints')).toMatch(/^ok {4}endpoints {2}/);
    expect(await readdir(socketDir)).toEqual([]);
  });

  it('fails the agent when it reads another AWS config, with the mismatch sentence', async () => {
    const { h, env } = await healthy();
    const other = join(h.dir, 'other-config');
    await writeFile(other, CONFIG);
    const run = await doctor({ ...env, AWS_CONFIG_FILE: other });
    expect(run.code).toBe(1);
    expect(section(run.stdout, 'agent')).toContain(
      `The Latchkey agent (pid ${process.pid}) reads the AWS config ${h.env.AWS_CONFIG_FILE}, not ${other} that this command reads; stop the agent (kill ${process.pid})`,
    );
    expect(section(run.stdout, 'agent')).toMatch(/^FAIL {2}agent {6}the agent \(pid \d+, version .+\) reads /);
  });

  it('fails the socket whose directory others can enter, with the trusted-path sentence', async () => {
    const { h, env } = await healthy();
    await chmod(h.dir, 0o755);
    const run = await doctor(env);
    expect(run.code).toBe(1);
    const sentence = `The agent socket ${h.socketPath} is not safe to use: other users can enter ${h.dir} (mode 0755); run "chmod 700 ${h.dir}", or set LATCHKEY_SOCKET to a path in a private directory of your own.`;
    if (process.env['LATCHKEY_TEST_CLI'] === 'native') {
      // The native client holds the socket to the same rule before it relays anything, and says the same sentence.
      expect(run.stderr).toBe(`latchkey: ${sentence}\n`);
      return;
    }
    expect(section(run.stdout, 'socket')).toBe(`FAIL  socket     ${h.socketPath} is not safe to use\n                 ${sentence}`);
    expect(section(run.stdout, 'agent')).toBe('skip  agent      not asked, since its socket is not safe');
  });

  it.each([
    ['an older agent', undefined, 'unknown (older agent)', 0],
    ['a usable store', { name: 'kernel-keyring', reason: 'no Secret Service on this machine' }, 'ok    store      kernel-keyring (no Secret Service on this machine)', 0],
    [
      'a locked keychain',
      { name: 'secret-service', reason: 'a Secret Service answered but is locked', error: 'The login keyring is locked: unlock it and run the command again.' },
      'FAIL  store      secret-service: cannot be used now\n                 The login keyring is locked: unlock it and run the command again.',
      1,
    ],
  ])('shows the store the agent reports: %s', async (_name, store, line, code) => {
    const dir = await shortTempDir();
    await chmod(dir, 0o700);
    const config = join(dir, 'config');
    await writeFile(config, CONFIG);
    const socket = join(dir, 'a.sock');
    const body = { version: '0.0.0-fake', pid: process.pid, interactive: false, configFile: config, problems: [], sessions: [], ...(store === undefined ? {} : { store }) };
    const agent = await FakeAgent.start(socket, { 'GET /v1/status': () => ({ status: 200, body }) });
    open.push(agent);
    const run = await doctor({ AWS_CONFIG_FILE: config, AWS_ENDPOINT_URL_SSO_OIDC: await skewedServer(0), HOME: dir, LATCHKEY_SOCKET: socket, NO_COLOR: '1' });
    expect(section(run.stdout, "store"), run.stdout).toContain(line);
    expect(run.code).toBe(code);
  });

  it('fails the endpoint it cannot reach, naming the host and what to check', async () => {
    const { env } = await healthy();
    const run = await doctor({ ...env, AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(section(run.stdout, 'endpoints')).toBe(
      'FAIL  endpoints  an endpoint cannot be reached\n                 Cannot reach 127.0.0.1:1 (ECONNREFUSED); check the network connection and any VPN, and that HTTPS_PROXY (HTTP_PROXY for an http endpoint) names a proxy that reaches it, or NO_PROXY exempts it.',
    );
    expect(section(run.stdout, 'clock')).toBe('skip  clock      no endpoint answered to compare with');
  });

  it('reaches the endpoint through the proxy the agent would use, and fails through one that is down', async () => {
    const { h, env } = await healthy();
    const proxy = await startConnectProxy();
    open.push(proxy);
    const through = await doctor({ ...env, HTTP_PROXY: proxy.url });
    expect(section(through.stdout, 'endpoints')).toMatch(/^ok {4}endpoints {2}/);
    expect(proxy.tunnels).toEqual([new URL(h.emulator.baseUrl).host]);
    const down = await doctor({ ...env, HTTP_PROXY: 'http://127.0.0.1:1' });
    expect(down.code).toBe(1);
    expect(section(down.stdout, 'endpoints')).toContain(`Cannot reach ${new URL(h.emulator.baseUrl).host} (ECONNREFUSED)`);
  });

  it('fails the clock more than 5 minutes off the endpoint\'s Date, saying how far and to fix it', async () => {
    const { env } = await healthy();
    const endpoint = await skewedServer(-20 * 60_000);
    const run = await doctor({ ...env, AWS_ENDPOINT_URL_SSO_OIDC: endpoint });
    expect(run.code).toBe(1);
    expect(section(run.stdout, 'clock')).toBe(
      `FAIL  clock      this machine's clock is 20 minutes ahead of ${new URL(endpoint).host}\n                 Set the system clock right and keep it synchronised with NTP (timedatectl set-ntp true, or your system's time settings): beyond 5 minutes AWS refuses signed requests and tokens expire at the wrong time.`,
    );
  });
});
