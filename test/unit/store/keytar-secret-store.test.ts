import { describe, expect, it } from 'vitest';
import { isLatchkeyError, type LatchkeyError } from '../../../main/core/errors';
import { KEYCHAIN_BLOB_MAX_BYTES, storedBlobBytes } from '../../../main/store/keychain-blob-format';
import { KeytarSecretStore } from '../../../main/store/keytar-secret-store';
import { FakeKeytar } from './fake-keytar';

const SERVICE = 'latchkey-unit';

function storeOver(keytar: FakeKeytar, callTimeoutMs = 1_000): KeytarSecretStore {
  return new KeytarSecretStore({ service: SERVICE, loadKeytar: () => keytar, callTimeoutMs, platform: 'linux' });
}

/** The longest ASCII value stored in one record ("inline:" plus the value, 2 bytes a character in UTF-16). */
const INLINE_LIMIT = KEYCHAIN_BLOB_MAX_BYTES / 2 - 'inline:'.length;

function ascii(length: number): string {
  let text = '';
  while (text.length < length) text += 'secret-0123456789/';
  return text.slice(0, length);
}

async function rejection(promise: Promise<unknown>): Promise<LatchkeyError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isLatchkeyError(error)) throw new Error(`expected a LatchkeyError, got ${String(error)}`);
  return error;
}

describe('KeytarSecretStore round trips', () => {
  it.each([
    ['empty', ''],
    ['one character', 'x'],
    ['limit - 1', ascii(INLINE_LIMIT - 1)],
    ['limit', ascii(INLINE_LIMIT)],
    ['limit + 1', ascii(INLINE_LIMIT + 1)],
    ['10 KB', ascii(10_240)],
    ['multi-byte UTF-8 across chunk edges', 'żółć — 日本語 — '.repeat(400)],
    ['emoji (surrogate pairs) across chunk edges', '🔑🙂👩‍💻'.repeat(700)],
    ['JSON with quotes and newlines', JSON.stringify({ token: ascii(5_000), note: 'a "quoted"\nline' })],
  ])('reads back a %s value exactly', async (_name, value) => {
    const keytar = new FakeKeytar();
    const store = storeOver(keytar);
    await store.set('token:work', value);
    expect(await store.get('token:work')).toBe(value);
    expect(await storeOver(keytar).get('token:work')).toBe(value);
  });

  it('stores a value up to the limit in one record and one past it as a head and a chunk', async () => {
    const keytar = new FakeKeytar();
    const store = storeOver(keytar);
    await store.set('at-limit', ascii(INLINE_LIMIT));
    await store.set('past-limit', ascii(INLINE_LIMIT + 1));
    const accounts = keytar.accounts(SERVICE);
    expect(accounts.filter((account) => account.startsWith('at-limit'))).toEqual(['at-limit']);
    // A chunk carries no tag, so one chunk holds what the tagged record could not.
    expect(accounts.filter((account) => account.startsWith('past-limit'))).toHaveLength(2);
  });

  it('keeps every stored blob within 2,560 bytes in both UTF-8 and UTF-16', async () => {
    const keytar = new FakeKeytar();
    await storeOver(keytar).set('mixed', `${ascii(3_000)}日本語🔑`.repeat(4));
    for (const blob of keytar.records.values()) {
      expect(storedBlobBytes(blob)).toBeLessThanOrEqual(KEYCHAIN_BLOB_MAX_BYTES);
      expect(Buffer.byteLength(blob, 'utf8')).toBeLessThanOrEqual(KEYCHAIN_BLOB_MAX_BYTES);
      expect(Buffer.byteLength(blob, 'utf16le')).toBeLessThanOrEqual(KEYCHAIN_BLOB_MAX_BYTES);
    }
  });

  it('reads an absent key as undefined and deletes an absent key quietly', async () => {
    const store = storeOver(new FakeKeytar());
    expect(await store.get('nothing')).toBeUndefined();
    await expect(store.delete('nothing')).resolves.toBeUndefined();
  });

  it.each([
    ['inline to chunked', 'small', ascii(8_000)],
    ['chunked to inline', ascii(8_000), 'small'],
    ['chunked to chunked', ascii(8_000), ascii(6_000).toUpperCase()],
  ])('overwrites %s leaving no chunk of the old value', async (_name, before, after) => {
    const keytar = new FakeKeytar();
    const store = storeOver(keytar);
    await store.set('k', before);
    await store.set('k', after);
    expect(await store.get('k')).toBe(after);
    const expectedRecords = after.length > INLINE_LIMIT ? 1 + Math.ceil(after.length / (INLINE_LIMIT + 7)) : 1;
    expect(keytar.accounts(SERVICE)).toHaveLength(expectedRecords);
  });

  it('deletes a chunked value with all its chunks', async () => {
    const keytar = new FakeKeytar();
    const store = storeOver(keytar);
    await store.set('k', ascii(10_240));
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
    expect(keytar.accounts(SERVICE)).toEqual([]);
  });
});

describe('KeytarSecretStore reads damaged records as no record', () => {
  async function chunkedStore(): Promise<{ keytar: FakeKeytar; store: KeytarSecretStore; chunks: string[] }> {
    const keytar = new FakeKeytar();
    const store = storeOver(keytar);
    await store.set('k', ascii(10_240));
    return { keytar, store, chunks: keytar.accounts(SERVICE).filter((account) => account.includes('#')) };
  }

  it('when a chunk is missing', async () => {
    const { keytar, store, chunks } = await chunkedStore();
    keytar.records.delete(`${SERVICE}\u0000${chunks[2]}`);
    expect(await store.get('k')).toBeUndefined();
  });

  it('when a chunk holds other content', async () => {
    const { keytar, store, chunks } = await chunkedStore();
    keytar.records.set(`${SERVICE}\u0000${chunks[0]}`, 'tampered');
    expect(await store.get('k')).toBeUndefined();
  });

  it.each([
    ['an unknown tag', 'something else'],
    ['a head that is not JSON', 'chunked:{'],
    ['a head with a bad count', 'chunked:{"generation":"0123456789ab","chunks":0,"sha256":"00"}'],
  ])('when the record holds %s', async (_name, text) => {
    const keytar = new FakeKeytar();
    await keytar.setPassword(SERVICE, 'k', text);
    expect(await storeOver(keytar).get('k')).toBeUndefined();
  });
});

describe('KeytarSecretStore survives a crash at any write', () => {
  const transitions: Array<[string, string | undefined, string | undefined]> = [
    ['nothing to chunked', undefined, ascii(10_240)],
    ['inline to chunked', 'old small', ascii(10_240)],
    ['chunked to chunked', ascii(9_000), ascii(10_240).toUpperCase()],
    ['chunked to inline', ascii(9_000), 'new small'],
    ['chunked to deleted', ascii(9_000), undefined],
  ];

  it.each(transitions)('%s: every crash point leaves the old value or the new one', async (_name, before, after) => {
    for (let failingWrite = 1; ; failingWrite += 1) {
      const keytar = new FakeKeytar();
      if (before !== undefined) await storeOver(keytar).set('k', before);
      keytar.failWriteNumber(failingWrite);
      const store = storeOver(keytar);
      const outcome = await (after === undefined ? store.delete('k') : store.set('k', after)).then(
        () => 'done',
        () => 'crashed',
      );
      keytar.stopFailing();
      const afterRestart = storeOver(keytar);
      expect([before, after]).toContain(await afterRestart.get('k'));
      // The next write of the key cleans up whatever the crash left behind.
      await afterRestart.set('k', 'final');
      expect(keytar.accounts(SERVICE)).toEqual(['k']);
      if (outcome === 'done') break;
    }
  });
});

describe('KeytarSecretStore.keys', () => {
  it('lists logical keys only, never chunk records', async () => {
    const keytar = new FakeKeytar();
    const store = storeOver(keytar);
    await store.set('token:work', ascii(10_240));
    await store.set('registration:work', 'small');
    expect(await store.keys()).toEqual(['registration:work', 'token:work']);
  });

  it('lists a key whose head is gone but whose chunks remain, so wiping it removes them', async () => {
    const keytar = new FakeKeytar();
    const store = storeOver(keytar);
    await store.set('k', ascii(10_240));
    keytar.records.delete(`${SERVICE}\u0000k`);
    expect(await store.keys()).toEqual(['k']);
    await store.delete('k');
    expect(keytar.accounts(SERVICE)).toEqual([]);
  });

  it('sees only its own service', async () => {
    const keytar = new FakeKeytar();
    await keytar.setPassword('other-service', 'theirs', 'inline:x');
    await storeOver(keytar).set('ours', 'x');
    expect(await storeOver(keytar).keys()).toEqual(['ours']);
  });
});

describe('KeytarSecretStore refuses keys the keychain cannot hold', () => {
  it.each([[''], ['has#hash']])('rejects %j as a usage error', async (key) => {
    const store = storeOver(new FakeKeytar());
    expect(() => store.set(key, 'x')).toThrow(expect.objectContaining({ code: 'usage_error' }));
  });
});

describe('KeytarSecretStore fails fast and clearly', () => {
  it('turns a call that never settles into keychain_locked within the timeout, without the secret', async () => {
    const keytar = new FakeKeytar();
    keytar.hang();
    const store = storeOver(keytar, 50);
    const started = Date.now();
    const error = await rejection(store.set('token:work', 'super-secret-refresh-token'));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error.code).toBe('keychain_locked');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/did not answer within 50 ms.*unlock the login keyring/);
    expect(error.message).not.toContain('super-secret');
    keytar.release();
  });

  it('refuses new calls at once while one still hangs, and recovers when it settles', async () => {
    const keytar = new FakeKeytar();
    keytar.hang();
    const store = storeOver(keytar, 50);
    await rejection(store.get('a'));
    const callsBefore = keytar.calls.length;
    const started = Date.now();
    const error = await rejection(store.get('b'));
    expect(Date.now() - started).toBeLessThan(40);
    expect(error.message).toMatch(/still waiting/);
    expect(keytar.calls).toHaveLength(callsBefore);
    keytar.release();
    await new Promise((resolve) => setImmediate(resolve));
    await store.set('b', 'value');
    expect(await store.get('b')).toBe('value');
  });

  it.each([
    ['linux', 'Cannot autolaunch D-Bus without X11 $DISPLAY', 'keychain_unavailable', /install gnome-keyring.*D-Bus session/],
    ['linux', 'Could not connect: No such file or directory', 'keychain_unavailable', /install gnome-keyring/],
    ['linux', 'The name org.freedesktop.secrets was not provided by any .service files', 'keychain_unavailable', /install gnome-keyring/],
    ['linux', 'Cannot create an item in a locked collection', 'keychain_locked', /unlock the login keyring.*LATCHKEY_STORE=kernel-keyring/],
    ['linux', 'Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'keychain_locked', /unlock the login keyring.*LATCHKEY_STORE=kernel-keyring/],
    ['darwin', 'User interaction is not allowed.', 'keychain_locked', /unlock the login keychain/],
    ['win32', 'Element not found.', 'keychain_unavailable', /Credential Manager/],
    // libsecret after the D-Bus session under the process ended (seen with a real bus and gnome-keyring): a keyring may well be installed.
    ['linux', 'The connection is closed', 'keychain_unavailable', /^The connection to the keychain was closed \(The connection is closed\): the D-Bus session this Latchkey was started in has ended; restart it/],
    ['linux', 'Some refusal nobody has seen yet', 'keychain_unavailable', /^The keychain refused the request \(Some refusal nobody has seen yet\): check that the login keyring is unlocked/],
  ] as const)('on %s maps "%s" to %s with a fix', async (platform, nativeMessage, code, fix) => {
    const keytar = new FakeKeytar();
    keytar.setPassword = () => Promise.reject(new Error(nativeMessage));
    const store = new KeytarSecretStore({ service: SERVICE, loadKeytar: () => keytar, platform });
    const error = await rejection(store.set('token:work', 'super-secret-value'));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(fix);
    expect(error.message).toContain(nativeMessage.slice(0, 20));
    expect(error.message).not.toContain('super-secret');
  });

  it.each(['The connection is closed', 'Some refusal nobody has seen yet'])(
    'does not tell someone whose keyring exists to install one, for "%s"',
    async (nativeMessage) => {
      const keytar = new FakeKeytar();
      keytar.setPassword = () => Promise.reject(new Error(nativeMessage));
      const store = new KeytarSecretStore({ service: SERVICE, loadKeytar: () => keytar, platform: 'linux' });
      expect((await rejection(store.set('token:work', 'v'))).message).not.toMatch(/install gnome-keyring/);
    },
  );

  it('reports a native module that will not load as keychain_unavailable', async () => {
    const store = new KeytarSecretStore({
      service: SERVICE,
      platform: 'linux',
      loadKeytar: () => {
        throw new Error('libsecret-1.so.0: cannot open shared object file');
      },
    });
    const error = await rejection(store.get('k'));
    expect(error.code).toBe('keychain_unavailable');
    expect(error.message).toMatch(/could not be loaded.*libsecret-1-0/);
  });

  it('loads keytar only on first use', async () => {
    let loads = 0;
    const keytar = new FakeKeytar();
    const store = new KeytarSecretStore({
      service: SERVICE,
      loadKeytar: () => {
        loads += 1;
        return keytar;
      },
    });
    expect(loads).toBe(0);
    await store.set('a', '1');
    await store.get('a');
    expect(loads).toBe(1);
  });
});

describe('KeytarSecretStore runs one operation at a time', () => {
  it('never lets a read see a write half done', async () => {
    const keytar = new FakeKeytar();
    const store = storeOver(keytar);
    await store.set('k', ascii(10_240));
    const next = ascii(10_240).toUpperCase();
    const [, read] = await Promise.all([store.set('k', next), store.get('k')]);
    expect(read).toBe(next);
  });
});
