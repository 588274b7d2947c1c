import { readFileSync } from 'node:fs';

/** The running kernel's release string (as `uname -r` prints it), or undefined where Linux's /proc has none. */
export function readKernelRelease(read: (path: string) => string = (path) => readFileSync(path, 'utf8')): string | undefined {
  try {
    return read('/proc/sys/kernel/osrelease').trim();
  } catch {
    return undefined;
  }
}
