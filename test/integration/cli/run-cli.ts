import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The program that runs the CLI whose Node entry is `entry` (`<dir>/cli/latchkey.cjs`):
 * Node on the entry, or with LATCHKEY_TEST_CLI=native the native client built beside it
 * (`<dir>/bin/latchkey`), so that one suite checks both entry points (vitest.config.ts).
 */
export function cliProgram(entry: string): { file: string; args: string[]; commandLine: string } {
  // A native executable given as the entry runs as it is.
  if (!entry.endsWith('.cjs')) return { file: entry, args: [], commandLine: entry };
  if (process.env['LATCHKEY_TEST_CLI'] === 'native') {
    const file = join(dirname(dirname(entry)), 'bin', 'latchkey');
    return { file, args: [], commandLine: file };
  }
  return { file: process.execPath, args: [entry], commandLine: `${process.execPath} ${entry}` };
}

/**
 * Runs the bundled CLI in a child process with exactly `env` (plus PATH), asynchronously,
 * so a fake agent in this process can answer it.
 */
export function runCli(entry: string, args: readonly string[], env: Record<string, string>, timeoutMs = 20_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const program = cliProgram(entry);
    const child = spawn(program.file, [...program.args, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
