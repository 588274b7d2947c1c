import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A locked login keyring against a real gnome-keyring (issue 10, "Messages a newcomer can
// act on"): it says so, never reads as signed out and never crashes. It runs in a keyring
// of its own (scripts/with-test-keyring.sh in a child), since locking the keyring the other
// keychain tests share would fail them.

const repoRoot = resolve(__dirname, '../../..');
const execFileAsync = promisify(execFile);
const LOCKED_MESSAGE = 'The login keyring is locked: unlock it (Passwords and Keys, or `gnome-keyring-daemon --unlock`) and run the command again, or keep sign-ins in the kernel keyring instead by starting Latchkey with LATCHKEY_STORE=kernel-keyring.';

async function onPath(tool: string): Promise<boolean> {
  return execFileAsync('sh', ['-c', `command -v ${tool}`]).then(
    () => true,
    () => false,
  );
}

const required = process.env.LATCHKEY_REQUIRE_KEYRING === '1' || process.env.LATCHKEY_TEST_KEYRING === '1';
const missing =
  process.platform !== 'linux'
    ? 'gnome-keyring is Linux only'
    : !(await onPath('dbus-run-session')) || !(await onPath('gnome-keyring-daemon')) || !(await onPath('dbus-send'))
      ? 'dbus-run-session, gnome-keyring-daemon or dbus-send is not installed (apt-get install dbus gnome-keyring libsecret-1-0)'
      : undefined;
if (missing !== undefined && !required) console.warn(`locked-keyring tests skipped: ${missing}`);

describe.skipIf(missing !== undefined && !required)('KeytarSecretStore over a locked gnome-keyring', () => {
  let bundleDir: string;
  let childScript: string;

  beforeAll(async () => {
    // Inside the repository, so that the child resolves @github/keytar from node_modules.
    await mkdir(join(repoRoot, 'test-results'), { recursive: true });
    bundleDir = await mkdtemp(join(repoRoot, 'test-results', 'locked-keyring-'));
    childScript = join(bundleDir, 'locked-keyring-child.mjs');
    await build({
      entryPoints: [join(repoRoot, 'test/integration/store/locked-keyring-child.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      outfile: childScript,
      logLevel: 'silent',
    });
  });

  afterAll(async () => {
    if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
  });

  it('says the login keyring is locked, for a read and a key listing, instead of reading nothing or crashing', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The child's own bus and keyring, never the one this run may share.
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.LATCHKEY_TEST_KEYRING;
    const { stdout } = await execFileAsync(join(repoRoot, 'scripts/with-test-keyring.sh'), [process.execPath, childScript], { env, timeout: 30_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
    const locked = { outcome: 'error', code: 'keychain_locked', message: LOCKED_MESSAGE };
    expect(result).toEqual({
      beforeLock: { outcome: 'value', value: 'stored before the lock' },
      read: locked,
      readByWarmStore: locked,
      listed: locked,
    });
  }, 40_000);
});
