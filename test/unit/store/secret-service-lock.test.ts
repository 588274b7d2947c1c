import { describe, expect, it } from 'vitest';
import { isLatchkeyError } from '../../../main/core/errors';
import { KeytarSecretStore } from '../../../main/store/keytar-secret-store';
import { parseLockedReply, type KeyringLockState } from '../../../main/store/secret-service-lock';
import { FakeKeytar } from './fake-keytar';

const LOCKED_MESSAGE = 'The login keyring is locked: unlock it (Passwords and Keys, or `gnome-keyring-daemon --unlock`) and run the command again, or keep sign-ins in the kernel keyring instead by starting Latchkey with LATCHKEY_STORE=kernel-keyring.';

describe('parseLockedReply', () => {
  it.each<[string, string, KeyringLockState]>([
    ['locked', 'method return time=1796227164.62 sender=:1.1 -> destination=:1.7 serial=17 reply_serial=2\n   variant       boolean true\n', 'locked'],
    ['unlocked', 'method return time=1796227164.43 sender=:1.1 -> destination=:1.3 serial=5 reply_serial=2\n   variant       boolean false\n', 'unlocked'],
    ['a reply of another type', 'method return time=1 sender=:1.1 -> destination=:1.3 serial=5 reply_serial=2\n   variant       string "true"\n', 'unknown'],
    ['nothing', '', 'unknown'],
    ['a boolean outside the variant line', 'boolean true\n', 'unknown'],
  ])('%s', (_name, stdout, expected) => {
    expect(parseLockedReply(stdout)).toBe(expected);
  });
});

/** A store over a fake keytar whose probe answers `states` in turn (the last one after that). */
function storeWithProbe(states: KeyringLockState[]) {
  const keytar = new FakeKeytar();
  let probes = 0;
  const store = new KeytarSecretStore({
    service: 'latchkey-unit',
    loadKeytar: () => keytar,
    platform: 'linux',
    lockProbe: async () => states[Math.min(probes++, states.length - 1)] ?? 'unknown',
  });
  return { keytar, store, probes: () => probes };
}

describe('KeytarSecretStore over a locked keyring', () => {
  it('says the login keyring is locked, and never asks keytar, which would read it as empty', async () => {
    const { keytar, store } = storeWithProbe(['locked']);
    const error = await store.get('tokens/corp').catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'keychain_locked')).toBe(true);
    expect((error as Error).message).toBe(LOCKED_MESSAGE);
    expect(keytar.calls).toEqual([]);
  });

  it('asks the Secret Service once, then reads warm values without asking again', async () => {
    const { store, probes } = storeWithProbe(['unlocked']);
    await store.set('k', 'v');
    for (let i = 0; i < 5; i += 1) expect(await store.get('k')).toBe('v');
    // Once before the first call, and once before the write's findCredentials (which would crash on a locked keyring).
    expect(probes()).toBe(2);
  });

  it('asks again when a read finds nothing, so a keyring locked since reads as locked, not as signed out', async () => {
    const { store } = storeWithProbe(['unlocked', 'locked']);
    const error = await store.get('tokens/corp').catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'keychain_locked')).toBe(true);
  });

  it('asks before listing the keys, which libsecret answers with a crash when locked', async () => {
    const { keytar, store } = storeWithProbe(['unlocked', 'locked']);
    await store.get('k').catch(() => undefined);
    const calls = keytar.calls.length;
    const error = await store.keys().catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'keychain_locked')).toBe(true);
    expect(keytar.calls).toHaveLength(calls);
  });

  it('serves again once the keyring is unlocked', async () => {
    const { store } = storeWithProbe(['locked', 'unlocked']);
    await expect(store.get('k')).rejects.toThrow(LOCKED_MESSAGE);
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
  });

  it('leaves a Secret Service that cannot be asked to keytar and its own messages', async () => {
    const { keytar, store } = storeWithProbe(['unknown']);
    expect(await store.get('k')).toBeUndefined();
    expect(keytar.calls).toEqual(['getPassword k']);
  });
});
