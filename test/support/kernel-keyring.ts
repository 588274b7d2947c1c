import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Why the kernel keyring tests cannot run here, or undefined when they can. With
 * LATCHKEY_REQUIRE_KEYRING=1 (CI, which installs keyutils) they always run.
 */
export async function kernelKeyringSkipReason(): Promise<string | undefined> {
  if (process.env.LATCHKEY_REQUIRE_KEYRING === '1') return undefined;
  if (process.platform !== 'linux') return 'the kernel keyring is Linux only';
  try {
    await promisify(execFile)('keyctl', ['get_persistent', '@u'], { timeout: 3_000 });
    return undefined;
  } catch (error) {
    return `keyctl get_persistent @u failed (${error instanceof Error ? error.message : String(error)}): install keyutils`;
  }
}

/** Runs keyctl with a payload on stdin, for tests that plant or inspect keys directly. */
export async function keyctlForTest(args: readonly string[], stdin?: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('keyctl', [...args], { timeout: 3_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
    // keyctl reads no stdin except for padd; a pipe it closed early is no failure.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(stdin ?? '');
  });
}
