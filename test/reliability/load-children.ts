import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { bundleForNode, buildAgentChild } from '../integration/agent/fixtures/build-agent-child';

/** A server under load in a process of its own, so /proc shows its memory and descriptors alone. */
export interface ServerChild {
  pid: number;
  socketPath: string;
  stderr(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

/**
 * The agent as `latchkey agent` runs it (the agent-process tests' own child,
 * test/integration/agent/fixtures/agent-child.ts: in-memory keychain), under --expose-gc
 * so that it reports its heap on SIGUSR2, on `socketPath`, with exactly `env` (plus PATH).
 */
export async function startAgentChild(dir: string, socketPath: string, env: Record<string, string>): Promise<ServerChild> {
  return startChild(await buildAgentChild(dir), ['--expose-gc'], socketPath, env, 'Latchkey agent ready');
}

/** The minimal node:http server of load-floor-server.ts, bundled as the agent's child is. */
export async function startFloorChild(dir: string, socketPath: string): Promise<ServerChild> {
  const bundle = await bundleForNode(join(import.meta.dirname, 'load-floor-child.ts'), join(dir, 'load-floor-child.cjs'));
  return startChild(bundle, [], socketPath, {}, 'Floor ready');
}

async function startChild(bundle: string, nodeFlags: string[], socketPath: string, env: Record<string, string>, readyLine: string): Promise<ServerChild> {
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, bundle, socketPath], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!stderr.includes(readyLine)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${bundle} did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    pid: child.pid ?? 0,
    socketPath,
    stderr: () => stderr,
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
