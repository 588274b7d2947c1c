import { spawn, type ChildProcess } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/emulator';
import { EmulatorAdmin } from '../../support/emulator-admin';
import { AWS_CONFIG, shortTempDir } from '../agent/agent-harness';
import { buildAgentChild } from '../agent/fixtures/build-agent-child';
import { buildCli, type BuiltCli } from './build-cli';

// What `latchkey login` says when the agent goes away in the middle of a sign-in, and when
// AWS drops the client registration after the code was shown (issue 10, "Truthful
// progress"): the agent as a process of its own, the CLI as built, the emulator as AWS.

let cli: BuiltCli;
let dir: string;
let agentBundle: string;
let emulator: Emulator | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  cli = await buildCli();
  dir = await shortTempDir();
  agentBundle = await buildAgentChild(dir);
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await emulator?.close();
  emulator = undefined;
});

afterAll(async () => {
  if (cli !== undefined) await rm(cli.dir, { recursive: true, force: true });
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

interface Running {
  process: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(args: readonly string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, args, { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { process: child, stderr: () => stderr, exited };
}

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The emulator (nothing approved by itself), an agent process on its own socket, and a `latchkey login` showing its code. */
async function loginShowingCode(name: string): Promise<{ agent: Running; login: Running; admin: EmulatorAdmin; userCode: string }> {
  emulator = await startEmulator({ port: 0, autoApprove: false, seed: `agent-stops-${name}` });
  const admin = new EmulatorAdmin(emulator.baseUrl);
  const configPath = join(dir, `${name}.config`);
  await writeFile(configPath, AWS_CONFIG);
  const socketPath = join(dir, `${name}.sock`);
  const env = {
    AWS_CONFIG_FILE: configPath,
    AWS_ENDPOINT_URL_SSO_OIDC: emulator.baseUrl,
    AWS_ENDPOINT_URL_SSO: emulator.baseUrl,
    LATCHKEY_SOCKET: socketPath,
    HOME: dir,
    NO_COLOR: '1',
  };
  const agent = run([agentBundle, socketPath], env);
  await until('the agent', () => agent.stderr().includes('Latchkey agent ready'));
  const login = run([cli.entry, 'login', '--session', 'corp', '--device-code', '--no-browser'], env);
  let userCode = '';
  await until('the code', () => {
    const pending = /\b([B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4})\b/.exec(login.stderr());
    userCode = pending?.[1] ?? '';
    return userCode !== '';
  });
  return { agent, login, admin, userCode };
}

describe('latchkey login when the agent stops during the sign-in', () => {
  it('says the agent stopped and what to run when the agent is stopped (SIGTERM)', async () => {
    const { agent, login } = await loginShowingCode('term');
    agent.process.kill('SIGTERM');
    expect(await login.exited).toBe(1);
    expect(login.stderr().trimEnd().split('\n').at(-1)).toBe(
      'latchkey: The Latchkey agent stopped during the sign-in to corp; run "latchkey login --session corp" again (it starts a new agent).',
    );
  });

  it('says the agent stopped and what to run when the agent is killed (SIGKILL)', async () => {
    const { agent, login } = await loginShowingCode('kill');
    agent.process.kill('SIGKILL');
    expect(await login.exited).toBe(1);
    // Killed, the agent cancels nothing: the wait's connection breaks, which names the agent's log.
    expect(login.stderr().trimEnd().split('\n').at(-1)).toBe(
      `latchkey: The Latchkey agent stopped before it answered (its log: ${join(dir, 'agent.log')}); run the command again, which starts a new agent.`,
    );
  });
});

describe('latchkey login when AWS drops the client registration after the code was shown', () => {
  it('ends the sign-in saying so, and never shows a code other than the one it showed', async () => {
    const { login, admin, userCode } = await loginShowingCode('dropped');
    // What AWS answers a poll once the registration is gone: 401 invalid_client.
    await admin.call('POST', 'faults', { operation: 'CreateToken', count: 1, status: 401 });
    expect(await login.exited).toBe(1);
    const stderr = login.stderr();
    expect(stderr.match(/\b[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}\b/g)?.every((code) => code === userCode)).toBe(true);
    expect(stderr).not.toContain('replaced by a new one');
    expect(stderr.trimEnd().split('\n').at(-1)).toMatch(/^latchkey: AWS no longer knows this computer's sign-in registration for corp .*; run "latchkey login --session corp" to try again for a new code\.$/);
    const calls = await admin.calls();
    expect(calls.StartDeviceAuthorization).toBe(1);
  });
});
