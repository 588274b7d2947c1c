import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeytarModule, type KeytarApi } from '../../../main/store/keytar-api';
import { KeytarSecretStore } from '../../../main/store/keytar-secret-store';
import { keyringSkipReason } from '../../support/test-keyring';

/**
 * Against a real Secret Service (gnome-keyring over D-Bus). Run under
 * `scripts/with-test-keyring.sh`, which provides a private bus and a throwaway unlocked
 * keyring; elsewhere the keyring part skips and says why, unless the wrapper set
 * LATCHKEY_TEST_KEYRING=1, in which case a broken keyring fails the run instead.
 */

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const service = `latchkey-test-${randomUUID()}`;

const skipReason = await keyringSkipReason(service);
if (skipReason !== undefined) console.warn(`Skipping the real keychain tests: ${skipReason}`);

function ascii(length: number, seed: string): string {
  return `${seed}-`.repeat(Math.ceil(length / (seed.length + 1))).slice(0, length);
}

describe.skipIf(skipReason !== undefined)('KeytarSecretStore on a real gnome-keyring', () => {
  let keytar: KeytarApi;
  let store: KeytarSecretStore;

  async function accountsOf(key: string): Promise<string[]> {
    const credentials = await keytar.findCredentials(service);
    return credentials
      .map((credential) => credential.account)
      .filter((account) => account === key || account.startsWith(`${key}#`))
      .sort();
  }

  beforeAll(async () => {
    keytar = await loadKeytarModule();
    store = new KeytarSecretStore({ service });
  });

  afterAll(async () => {
    if (!keytar) return;
    for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
    expect(await keytar.findCredentials(service)).toEqual([]);
  });

  it('sets, gets and deletes a small record', async () => {
    await store.set('token:small', '{"v":1}');
    expect(await store.get('token:small')).toBe('{"v":1}');
    expect(await accountsOf('token:small')).toEqual(['token:small']);
    await store.delete('token:small');
    expect(await store.get('token:small')).toBeUndefined();
    expect(await accountsOf('token:small')).toEqual([]);
  });

  it('stores an empty value, which keytar alone cannot', async () => {
    await store.set('empty', '');
    expect(await store.get('empty')).toBe('');
    await store.delete('empty');
  });

  it('splits a 10 KB record into chunks and joins them again, also in a fresh store', async () => {
    const value = ascii(10_240, 'token');
    await store.set('token:big', value);
    expect(await store.get('token:big')).toBe(value);
    expect(await new KeytarSecretStore({ service }).get('token:big')).toBe(value);
    const accounts = await accountsOf('token:big');
    expect(accounts[0]).toBe('token:big');
    expect(accounts.slice(1)).toHaveLength(Math.ceil(10_240 / 1_280));
    await store.delete('token:big');
    expect(await accountsOf('token:big')).toEqual([]);
  });

  it('carries multi-byte text and emoji through libsecret unchanged', async () => {
    const value = 'żółć 日本語 🔑👩‍💻 '.repeat(500);
    await store.set('unicode', value);
    expect(await store.get('unicode')).toBe(value);
    await store.delete('unicode');
  });

  it('lists logical keys only', async () => {
    await store.set('registration:a', 'small');
    await store.set('token:a', ascii(6_000, 'a'));
    expect(await store.keys()).toEqual(['registration:a', 'token:a']);
    await store.delete('registration:a');
    await store.delete('token:a');
    expect(await store.keys()).toEqual([]);
  });

  it('overwrites chunked with small, small with chunked and chunked with chunked, leaving no orphan chunk', async () => {
    await store.set('k', ascii(10_240, 'first'));
    await store.set('k', 'small');
    expect(await store.get('k')).toBe('small');
    expect(await accountsOf('k')).toEqual(['k']);

    await store.set('k', ascii(4_000, 'second'));
    expect(await accountsOf('k')).toHaveLength(1 + Math.ceil(4_000 / 1_280));

    const third = ascii(10_240, 'third');
    await store.set('k', third);
    expect(await store.get('k')).toBe(third);
    const accounts = await accountsOf('k');
    expect(accounts).toHaveLength(1 + Math.ceil(10_240 / 1_280));
    expect(new Set(accounts.slice(1).map((account) => account.split('#')[1])).size).toBe(1);
    await store.delete('k');
    expect(await accountsOf('k')).toEqual([]);
  });
});

describe.skipIf(process.platform !== 'linux')('KeytarSecretStore without a Secret Service', () => {
  const execFileAsync = promisify(execFile);
  let bundleDir: string;
  let childScript: string;

  beforeAll(async () => {
    // A child process needs plain JavaScript; it is bundled inside the repository so that
    // it resolves @github/keytar from node_modules as the real CLI does.
    await mkdir(join(repoRoot, 'test-results'), { recursive: true });
    bundleDir = await mkdtemp(join(repoRoot, 'test-results', 'keychain-probe-'));
    childScript = join(bundleDir, 'keychain-probe-child.mjs');
    await build({
      entryPoints: [join(repoRoot, 'test/integration/store/keychain-probe-child.ts')],
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

  function withoutBus(extra: Record<string, string>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, LATCHKEY_KEYCHAIN_SERVICE: service, ...extra };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    if (extra.DBUS_SESSION_BUS_ADDRESS === undefined) delete env.DBUS_SESSION_BUS_ADDRESS;
    return env;
  }

  it.each([
    ['a bus address that leads nowhere', { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/latchkey-test-bus' }],
    ['no bus address and no display', {}],
  ])('reports %s as keychain_unavailable within seconds, naming the fix', async (_name, extra: Record<string, string>) => {
    const startedMs = Date.now();
    const { stdout } = await execFileAsync(process.execPath, [childScript], { env: withoutBus(extra), timeout: 12_000 });
    const result = JSON.parse(stdout.trim()) as { outcome: string; code?: string; message?: string; elapsedMs: number };
    expect(result).toMatchObject({ outcome: 'error', code: 'keychain_unavailable' });
    expect(result.message).toMatch(/gnome-keyring.*D-Bus session/);
    expect(result.elapsedMs).toBeLessThan(6_000);
    expect(Date.now() - startedMs).toBeLessThan(10_000);
  });
});
