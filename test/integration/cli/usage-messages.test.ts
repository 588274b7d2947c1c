import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAgent } from '../../support/fake-agent';
import { buildCli, type BuiltCli } from './build-cli';
import { runCli } from './run-cli';

let cli: BuiltCli;
let dir: string;
let agent: FakeAgent;
let env: Record<string, string>;

beforeAll(async () => {
  cli = await buildCli();
  dir = await mkdtemp(join(tmpdir(), 'latchkey-usage-'));
  agent = await FakeAgent.start(join(dir, 'agent.sock'), {});
  env = { LATCHKEY_SOCKET: join(dir, 'agent.sock'), HOME: dir, NO_COLOR: '1' };
});

afterAll(async () => {
  await agent.close();
  await rm(dir, { recursive: true, force: true });
  await rm(cli.dir, { recursive: true, force: true });
});

describe('usage messages of the built CLI', () => {
  it.each([
    [['lgin', '--session', 'corp'], 'There is no command "lgin" (did you mean "login"?); run "latchkey --help" for the commands.'],
    [['status', '--jsno'], 'status has no option "--jsno" (did you mean "--json"?); run "latchkey status --help" for its options.'],
    [['login', '--session'], 'login --session needs a value (--session NAME); run "latchkey login --help" for its options.'],
    [['login', 'corp'], 'login takes no argument "corp" (did you mean "--session corp"?); run "latchkey login --help" for its options.'],
    // accounts alone lists every session's accounts; a --session without its name is still a usage error.
    [['accounts', '--session'], 'accounts --session needs a value (--session NAME); run "latchkey accounts --help" for its options.'],
  ])('%j says %s, once prefixed, and exits 2 without asking the agent', async (args, message) => {
    const asked = agent.requests.length;
    const run = await runCli(cli.entry, args, env);
    expect(run.stderr).toBe(`latchkey: ${message}\n`);
    expect(run.code).toBe(2);
    expect(agent.requests).toHaveLength(asked);
  });
});

describe('a second latchkey agent', () => {
  it('exits 1 with one prefixed sentence naming the running agent and how to stop it', async () => {
    agent.route('GET /v1/status', () => ({ status: 200, body: { pid: 4242, interactive: false } }));
    const run = await runCli(cli.entry, ['agent'], { ...env, AWS_CONFIG_FILE: join(dir, 'config') });
    expect(run.stderr).toBe(
      `latchkey: Another Latchkey agent (pid 4242) is already running on ${env['LATCHKEY_SOCKET'] ?? ''}, and the other latchkey commands use it, so there is no need to start one; to run this one in the foreground instead, stop that one first (kill 4242).\n`,
    );
    expect(run.code).toBe(1);
  });

  it('says to quit the app when the app runs the agent', async () => {
    agent.route('GET /v1/status', () => ({ status: 200, body: { pid: 4242, interactive: true } }));
    const run = await runCli(cli.entry, ['agent'], { ...env, AWS_CONFIG_FILE: join(dir, 'config') });
    expect(run.stderr).toMatch(/^latchkey: Another Latchkey agent \(pid 4242\) is already running on .*; to run this one in the foreground instead, quit the Latchkey app first\.\n$/);
    expect(run.code).toBe(1);
  });
});
