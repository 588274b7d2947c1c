import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

const children: ChildProcess[] = [];

afterEach(async () => {
  await Promise.all(children.splice(0).map(stop));
});

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function runEmulator(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['scripts/run-emulator.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    if (child.stdout === null) throw new Error('no stdout');
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${String(code)} before printing its URL`)));
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('emulator command', () => {
  it('prints its base URL first and serves with --auto-approve', async () => {
    const child = runEmulator(['--port', '0', '--auto-approve', '--interval', '2']);

    const baseUrl = await firstLine(child);

    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${baseUrl}/_emulator/calls`);
    expect(response.status).toBe(200);
  });

  it('exits cleanly with 0 on SIGTERM', async () => {
    const child = runEmulator(['--port', '0']);
    await firstLine(child);
    const exited = exitOf(child);

    child.kill('SIGTERM');

    expect((await exited).code).toBe(0);
  });

  it.each([
    [['--port', 'eighty']],
    [['--token-ttl', '-5']],
    [['--colour']],
  ])('exits 2 with a message on stderr for %j', async (args) => {
    const child = runEmulator(args);

    const { code, stderr } = await exitOf(child);

    expect(code).toBe(2);
    expect(stderr).toMatch(/^emulator: /);
  });
});
