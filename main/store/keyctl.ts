import { execFile, type ExecFileException } from 'node:child_process';
import { LatchkeyError } from '../core/errors';

/** What one `keyctl` run printed; `missingKey` when the kernel answered ENOKEY ("Required key not available"). */
export interface KeyctlResult {
  stdout: Buffer;
  missingKey: boolean;
}

export type Keyctl = (args: readonly string[], stdin?: Buffer) => Promise<KeyctlResult>;

/** keyctl prints at most a payload (32 KiB) or a keyring listing; anything larger is not keyctl. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * Runs Debian's `keyctl` (package keyutils). A payload goes in on stdin only: arguments are
 * readable by every local user in /proc/<pid>/cmdline. Errors carry keyctl's first stderr
 * line, which names the call and errno, never a payload.
 */
export function execKeyctl(timeoutMs: number, program = 'keyctl'): Keyctl {
  return (args, stdin) =>
    new Promise((resolve, reject) => {
      const child = execFile(
        program,
        [...args],
        // No locale variables: keyctl's errno text stays the C locale's, which missingKey matches.
        { encoding: 'buffer', timeout: timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, env: { PATH: process.env.PATH ?? '' } },
        (error, stdout, stderr) => {
          if (error === null) return resolve({ stdout, missingKey: false });
          const detail = stderr.toString('utf8').split('\n', 1)[0] ?? '';
          if (/Required key not available/.test(detail)) return resolve({ stdout, missingKey: true });
          reject(keyctlError(error, detail));
        },
      );
      // A keyctl that exits before reading stdin makes the pipe fail; the exit status says why.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(stdin ?? Buffer.alloc(0));
    });
}

function keyctlError(error: ExecFileException, detail: string): LatchkeyError {
  if (error.code === 'ENOENT') {
    return new LatchkeyError(
      'keychain_unavailable',
      'The kernel keyring store needs the keyctl command: install keyutils (apt-get install keyutils), or choose another store with LATCHKEY_STORE.',
      { cause: error },
    );
  }
  if (error.killed === true) {
    return new LatchkeyError('keychain_unavailable', 'The kernel keyring did not answer in time (keyctl timed out).', { cause: error, retryable: true });
  }
  if (/quota/i.test(detail)) {
    return new LatchkeyError(
      'keychain_unavailable',
      'The kernel keyring is full for this user (its quota is /proc/sys/kernel/keys/maxbytes, 20000 bytes by default): sign out of sessions not in use (latchkey logout), ask root to raise the quota, or use a Secret Service (LATCHKEY_STORE=secret-service).',
      { cause: error },
    );
  }
  return new LatchkeyError(
    'keychain_unavailable',
    `The kernel keyring refused the request (${detail.slice(0, 160)}): check that this kernel has persistent keyrings (\`keyctl get_persistent @u\`) and that a container's seccomp profile allows the keyctl calls.`,
    { cause: error },
  );
}
