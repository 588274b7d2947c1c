import { spawn, type ChildProcess } from 'node:child_process';
import { rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildAgentChild } from './fixtures/build-agent-child';
import { startAgentTakingOver } from '../../../main/agent/agent-takeover';
import { InMemorySecretStore } from '../../../main/core/in-memory-secret-store';
import { silentLogger } from '../../../main/core/logger';
import { agentRequest, shortTempDir } from './agent-harness';

let dir: string;
let bundle: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await shortTempDir();
  bundle = await buildAgentChild(dir);
  await writeFile(join(dir, 'config'), '');
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Child {
  process: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startChild(socketPath: string): Child {
  const child = spawn(process.execPath, [bundle, socketPath], {
    env: { PATH: process.env.PATH ?? '', AWS_CONFIG_FILE: join(dir, 'config') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, stderr: () => stderr, exited };
}

async function ready(child: Child): Promise<void> {
  while (!child.stderr().includes('Latchkey agent ready')) {
    if (child.process.exitCode !== null) throw new Error(`agent exited: ${child.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the agent as a process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('removes its socket and exits 0 on %s', async (signal) => {
    const socketPath = join(dir, `${signal}.sock`);
    const child = startChild(socketPath);
    await ready(child);
    expect(child.stderr()).toBe(`Latchkey agent ready on ${socketPath}.\n`);
    expect((await agentRequest(socketPath, 'GET', '/v1/status')).status).toBe(200);
    child.process.kill(signal);
    expect(await child.exited).toBe(0);
    await expect(stat(socketPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('exits 1 with one prefixed sentence naming the running agent\'s pid and what to do when another agent owns the socket', async () => {
    const socketPath = join(dir, 'b.sock');
    const first = startChild(socketPath);
    await ready(first);
    const second = startChild(socketPath);
    expect(await second.exited).toBe(1);
    const pid = first.process.pid ?? 0;
    expect(second.stderr()).toBe(
      `latchkey: Another Latchkey agent (pid ${pid}) is already running on ${socketPath}, and the other latchkey commands use it, so there is no need to start one; to run this one in the foreground instead, stop that one first (kill ${pid}).\n`,
    );
    first.process.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('takes over the socket of an agent that was killed', async () => {
    const socketPath = join(dir, 'c.sock');
    const killed = startChild(socketPath);
    await ready(killed);
    killed.process.kill('SIGKILL');
    await killed.exited;
    expect((await stat(socketPath)).isSocket()).toBe(true);
    const next = startChild(socketPath);
    await ready(next);
    expect((await agentRequest(socketPath, 'GET', '/v1/status')).status).toBe(200);
    next.process.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  });

  it('stops on POST /v1/shutdown and frees the socket, so the desktop app can take over', async () => {
    const socketPath = join(dir, 'd.sock');
    const headless = startChild(socketPath);
    await ready(headless);
    expect((await agentRequest(socketPath, 'POST', '/v1/shutdown')).status).toBe(202);
    expect(await headless.exited).toBe(0);
    expect(headless.stderr()).toContain('Handing over to the Latchkey app.');
    await expect(stat(socketPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('lets the desktop app take over from a headless agent', async () => {
    const socketPath = join(dir, 'e.sock');
    const headless = startChild(socketPath);
    await ready(headless);
    const app = await startAgentTakingOver({
      env: { AWS_CONFIG_FILE: join(dir, 'config') },
      platform: process.platform,
      homeDir: dir,
      socketPath,
      interactive: true,
      secretStore: new InMemorySecretStore(),
      logger: silentLogger,
    });
    try {
      expect(await headless.exited).toBe(0);
      const status = await agentRequest(socketPath, 'GET', '/v1/status');
      expect(status.json).toMatchObject({ interactive: true, pid: process.pid });
    } finally {
      await app.close();
    }
  });
});
