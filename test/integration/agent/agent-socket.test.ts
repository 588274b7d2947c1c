import { chmod, link, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimSocket, type SocketClaim } from '../../../main/agent/socket-ownership';
import { isLatchkeyError } from '../../../main/core/errors';
import { AgentHarness, agentRequest, shortTempDir } from './agent-harness';

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await shortTempDir();
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function claim(socketPath: string, mayFixDirectory = false): Promise<{ server: Server; claim: SocketClaim }> {
  // Reads what it is sent, as an agent does: a refused second agent asks this one for its pid,
  // and a socket whose data is never read never sees the asker hang up, so close() would wait.
  const server = createServer((socket) => socket.resume().end());
  const claimed = await claimSocket(server, { socketPath, mayFixDirectory });
  cleanups.push(async () => {
    await new Promise((resolve) => server.close(resolve));
    await claimed.dispose();
  });
  return { server, claim: claimed };
}

/**
 * A socket file with nobody listening, as a killed agent leaves behind: listen on a side
 * name, hard-link the real name to it, and close (which unlinks only the side name).
 */
async function staleSocket(path: string): Promise<void> {
  const side = `${path}.side`;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(side, resolve));
  await link(side, path);
  await new Promise((resolve) => server.close(resolve));
}

describe('the agent socket', () => {
  it('creates the socket 0600 in a directory 0700', async () => {
    const dir = await tempDir();
    const socketPath = join(dir, 'sub', 'a.sock');
    await claim(socketPath, true);
    expect((await stat(join(dir, 'sub'))).mode & 0o777).toBe(0o700);
    const info = await stat(socketPath);
    expect(info.isSocket()).toBe(true);
    expect(info.mode & 0o777).toBe(0o600);
  });

  it('tightens its own default directory when other users could enter it', async () => {
    const dir = await tempDir();
    const own = join(dir, 'latchkey');
    await mkdir(own, { mode: 0o755 });
    await chmod(own, 0o755);
    await claim(join(own, 'a.sock'), true);
    expect((await stat(own)).mode & 0o777).toBe(0o700);
  });

  it('refuses a directory the user chose when other users could enter it, and says how to fix it', async () => {
    const dir = await tempDir();
    await chmod(dir, 0o755);
    const error = await claim(join(dir, 'a.sock')).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toBe(
      `The socket directory ${dir} cannot be used: other users can enter ${dir} (mode 0755); run "chmod 700 ${dir}", or set LATCHKEY_SOCKET to a path in a private directory of your own.`,
    );
  });

  it('refuses a path that is a regular file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.sock'), 'not a socket');
    const error = await claim(join(dir, 'a.sock')).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'config_error')).toBe(true);
  });

  it('refuses a path too long for a Unix socket', async () => {
    const dir = await tempDir();
    const error = await claim(join(dir, 'x'.repeat(120))).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/too long for a Unix socket/);
  });

  it('replaces a stale socket file', async () => {
    const dir = await tempDir();
    const socketPath = join(dir, 'a.sock');
    await staleSocket(socketPath);
    expect((await stat(socketPath)).isSocket()).toBe(true);
    const { server } = await claim(socketPath);
    expect(server.listening).toBe(true);
  });

  it('removes the socket file when closed', async () => {
    const dir = await tempDir();
    const socketPath = join(dir, 'a.sock');
    const { server, claim: claimed } = await claim(socketPath);
    await new Promise((resolve) => server.close(resolve));
    await claimed.dispose();
    await expect(stat(socketPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('lets exactly one of several agents starting at once have the socket', async () => {
    const dir = await tempDir();
    const socketPath = join(dir, 'a.sock');
    await staleSocket(socketPath);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => claim(socketPath)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(isLatchkeyError(result.reason, 'agent_running')).toBe(true);
    }
  });
});

describe('a second agent', () => {
  let harness: AgentHarness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('refuses to start beside a live one, which keeps serving', async () => {
    harness = await AgentHarness.start();
    const error = await AgentHarness.start({ agent: { socketPath: harness.socketPath } }).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'agent_running')).toBe(true);
    expect((error as Error).message).toBe(
      `Another Latchkey agent (pid ${process.pid}) is already running on ${harness.socketPath}, and the other latchkey commands use it, so there is no need to start one; to run this one in the foreground instead, stop that one first (kill ${process.pid}).`,
    );
    expect((await agentRequest(harness.socketPath, 'GET', '/v1/status')).status).toBe(200);
  });
});

describe('many requests in flight', () => {
  let harness: AgentHarness | undefined;

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('answers forty waits at once without a MaxListeners warning in the agent log', async () => {
    harness = await AgentHarness.start({ emulator: { autoApprove: false } });
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    try {
      expect((await harness.request('POST', '/v1/sessions/corp/sign-in', { body: { flow: 'device-code' } })).status).toBe(202);
      const waits = await Promise.all(Array.from({ length: 40 }, () => harness?.request('POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=1')));
      expect(waits.map((wait) => wait?.status)).toEqual(Array.from({ length: 40 }, () => 202));
      // Node emits warnings on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
