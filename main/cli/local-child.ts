import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { OutputStream } from './cli-context';

/** Signals a terminal or supervisor sends to us that the child should get too. */
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `exec`'s child in this process's terminal and resolves with its exit code; as
 * shells do, a child killed by signal N gives 128 + N, a command not found 127 and one
 * that cannot be run 126. (Through the native client, the client runs the child itself
 * with the same rules: native/latchkey/src/child.rs.)
 */
export function runLocalChild(stderr: OutputStream, file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    // While the child runs we must outlive it (to hold its binding and report its code),
    // so signals are passed on rather than ending this process. Listening before the
    // spawn: a signal sent as soon as the child shows life must not find the default
    // action still in place. Node runs the listener on a later turn, with `child` set.
    const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const child = spawn(file, [...args], { stdio: 'inherit', env });
    const cleanup = (): void => {
      for (const signal of FORWARDED_SIGNALS) process.removeListener(signal, forward);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      const notFound = error.code === 'ENOENT';
      const why = notFound ? 'it was not found on PATH' : error.code === 'EACCES' ? 'it is not executable' : error.message;
      stderr.write(`latchkey: cannot run "${file}": ${why}.\n`);
      resolve(notFound ? 127 : 126);
    });
    child.on('exit', (code, signal) => {
      cleanup();
      if (code !== null) resolve(code);
      else resolve(128 + (signal === null ? 0 : (constants.signals[signal] ?? 0)));
    });
  });
}
