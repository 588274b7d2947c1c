import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TerminalRun {
  code: number | null;
  /** What the command wrote to stdout, which went to a file, never to the terminal. */
  stdout: string;
  /** Everything the pseudo-terminal showed: stderr only, with the terminal's `\r\n` line ends. */
  terminal: string;
}

/** POSIX single quotes, for the one shell command line `script` runs. */
function quoted(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * Runs the built CLI with stderr (and stdin) on a real pseudo-terminal, as a person at a
 * terminal runs it, and stdout to a file: util-linux's `script` (Debian's bsdutils,
 * always installed) makes the terminal and records what it shows.
 */
export async function runCliWithTerminalStderr(entry: string, args: readonly string[], env: Record<string, string>, timeoutMs = 60_000): Promise<TerminalRun> {
  const dir = await mkdtemp(join(tmpdir(), 'lk-tty-'));
  const stdoutFile = join(dir, 'stdout');
  const line = `${[process.execPath, entry, ...args].map(quoted).join(' ')} > ${quoted(stdoutFile)}`;
  try {
    const { code, terminal } = await new Promise<{ code: number | null; terminal: string }>((resolve, reject) => {
      const child = spawn('script', ['--quiet', '--return', '--command', line, '/dev/null'], {
        env: { PATH: process.env['PATH'] ?? '', TERM: 'dumb', ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let shown = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (shown += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', reject);
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve({ code: exitCode, terminal: shown });
      });
    });
    return { code, stdout: await readFile(stdoutFile, 'utf8').catch(() => ''), terminal };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
