import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** A named pipe at `path`: opening it for reading blocks until a writer comes, reading until it writes. */
export function makeFifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/**
 * Lets go of any reader stuck on the FIFO at `path` (a bug under test): a writer that
 * opens and closes at once gives it end-of-file. Without a reader the open fails, harmlessly.
 */
export async function releaseFifo(path: string): Promise<void> {
  try {
    const writer = await open(path, constants.O_WRONLY | constants.O_NONBLOCK);
    await writer.close();
  } catch {
    // ENXIO: nobody is reading; ENOENT: already gone.
  }
}

/** `promise`, or a rejection naming `what` once `ms` have passed: a hang fails the test instead of stalling it. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
