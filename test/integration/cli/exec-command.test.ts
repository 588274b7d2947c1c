import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentHarness } from '../agent/agent-harness';
import { containerGet, portRefuses, within } from '../agent/exec-binding';
import { buildCli, type BuiltCli } from './build-cli';
import { cliProgram, runCli } from './run-cli';

// `latchkey exec` against a real agent: the binding lives as long as the exec process
// (finding 4 of issue 8: it used to survive `kill -9`), and the command's exit code,
// signals and environment pass through as docs/cli.md says.

let cli: BuiltCli;
let harness: AgentHarness;
let env: Record<string, string>;
const running: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  cli = await buildCli();
  harness = await AgentHarness.start();
  await harness.signIn();
  env = { AWS_CONFIG_FILE: harness.env.AWS_CONFIG_FILE, LATCHKEY_SOCKET: harness.socketPath, HOME: harness.dir, NO_COLOR: '1' };
});

afterAll(async () => {
  await harness?.close();
  if (cli !== undefined) await rm(cli.dir, { recursive: true, force: true });
});

afterEach(() => {
  for (const child of running.splice(0)) {
    // The exec process leads its own group, so this reaches the command it started too.
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
});

/** Starts `latchkey exec --profile dev -- ...command` in its own process group. */
function startExec(command: readonly string[]): ChildProcessWithoutNullStreams {
  const child = spawn(cliProgram(cli.entry).file, [...cliProgram(cli.entry).args, 'exec', '--profile', 'dev', '--', ...command], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    detached: true,
  });
  running.push(child);
  return child;
}

function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(out.slice(0, newline));
    });
    child.once('exit', (code) => reject(new Error(`exec exited (${code}) before printing; stderr: ${err}`)));
  });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

const PRINT_ENDPOINT = 'echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI $AWS_CONTAINER_AUTHORIZATION_TOKEN"';

describe('latchkey exec with a real agent', () => {
  it('loses its binding when exec is killed with SIGKILL, while the agent keeps the port so no one else can answer there', async () => {
    // The shell prints its pid, which `exec sleep` keeps.
    const child = startExec(['sh', '-c', `echo "$$ $AWS_CONTAINER_CREDENTIALS_FULL_URI $AWS_CONTAINER_AUTHORIZATION_TOKEN"; exec sleep 30`]);
    const [sleepPid = '', url = '', token = ''] = (await firstLine(child)).split(' ');
    expect((await containerGet(url, token)).status).toBe(200);
    child.kill('SIGKILL');
    await exitOf(child);
    await within(2000, async () => (await containerGet(url, token)).status === 404, 'the binding ends with exec');
    expect(await portRefuses(Number(new URL(url).port))).toBe(false);
    // The command outlived exec, and with it any descriptor it might have inherited: the
    // binding's connection was exec's alone (afterEach kills the sleep).
    expect(() => process.kill(Number(sleepPid), 0)).not.toThrow();
  });

  it('runs the command without variables that would shadow the endpoint, passes its exit code, and ends the binding', async () => {
    const script =
      'const e=process.env;console.log(JSON.stringify({u:e.AWS_CONTAINER_CREDENTIALS_FULL_URI,t:e.AWS_CONTAINER_AUTHORIZATION_TOKEN,' +
      'p:e.AWS_PROFILE??null,k:e.AWS_ACCESS_KEY_ID??null,keep:e.KEEP_ME??null}));process.exit(7)';
    const run = await runCli(cli.entry, ['exec', '--profile', 'dev', '--', process.execPath, '-e', script], {
      ...env,
      AWS_PROFILE: 'other',
      AWS_ACCESS_KEY_ID: 'AKIASTATIC',
      KEEP_ME: 'yes',
    });
    expect(run.code).toBe(7);
    const seen = JSON.parse(run.stdout) as { u: string; t: string };
    // The parent's AWS_PROFILE gives way to dev, which the shared config (the agent's) defines.
    expect(seen).toEqual({ u: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v1\/container-credentials\//), t: expect.any(String), p: 'dev', k: null, keep: 'yes' });
    await within(2000, async () => (await containerGet(seen.u, seen.t)).status === 404, 'the binding ends with the command');
  });

  it('exits 128 + N when the command dies of signal N', async () => {
    const run = await runCli(cli.entry, ['exec', '--profile', 'dev', '--', process.execPath, '-e', "process.kill(process.pid,'SIGTERM')"], env);
    expect(run.code).toBe(143);
  });

  it('exits 127 when the command is not found', async () => {
    const run = await runCli(cli.entry, ['exec', '--profile', 'dev', '--', 'no-such-command-latchkey'], env);
    expect(run.code).toBe(127);
    expect(run.stderr).toContain('not found');
  });

  it('forwards SIGTERM to the command and exits with the code it chose', async () => {
    const child = startExec(['sh', '-c', `trap 'exit 42' TERM; ${PRINT_ENDPOINT}; while :; do sleep 0.05; done`]);
    await firstLine(child);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(42);
  });

  it('still exits with the command\'s code when the agent goes away while it runs', async () => {
    const own = await AgentHarness.start();
    try {
      await own.signIn();
      // The command waits until the endpoint stops answering, then exits 5.
      const script =
        "const u=process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;console.log(u);" +
        "const tick=()=>fetch(u).then(()=>setTimeout(tick,20),()=>process.exit(5));tick()";
      const child = spawn(cliProgram(cli.entry).file, [...cliProgram(cli.entry).args, 'exec', '--profile', 'dev', '--', process.execPath, '-e', script], {
        env: { PATH: process.env['PATH'] ?? '', AWS_CONFIG_FILE: own.env.AWS_CONFIG_FILE, LATCHKEY_SOCKET: own.socketPath, HOME: own.dir, NO_COLOR: '1' },
        detached: true,
      });
      running.push(child);
      await firstLine(child);
      await own.agent.close();
      expect(await exitOf(child)).toBe(5);
    } finally {
      await own.close();
    }
  });
});
