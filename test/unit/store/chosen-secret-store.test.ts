import { describe, expect, it } from 'vitest';
import { openChosenSecretStore } from '../../../main/store/chosen-secret-store';
import { KernelKeyringStore } from '../../../main/store/kernel-keyring-store';
import { KeytarSecretStore } from '../../../main/store/keytar-secret-store';
import type { KeyringLockState } from '../../../main/store/secret-service-lock';

function probeSaying(state: KeyringLockState): { probe: () => Promise<KeyringLockState>; asked: () => number } {
  let asked = 0;
  return {
    probe: async () => {
      asked += 1;
      return state;
    },
    asked: () => asked,
  };
}

describe('openChosenSecretStore', () => {
  it.each<[string, string | undefined, KeyringLockState, typeof KeytarSecretStore | typeof KernelKeyringStore, string | undefined]>([
    ['unlocked_service_offers_the_kernel_keyring_to_move_from', undefined, 'unlocked', KeytarSecretStore, 'kernel-keyring'],
    ['no_service_offers_nothing_to_move_from', undefined, 'unknown', KernelKeyringStore, undefined],
    ['kernel_keyring_by_name_offers_an_unlocked_service', 'kernel-keyring', 'unlocked', KernelKeyringStore, 'secret-service'],
    ['kernel_keyring_by_name_leaves_a_locked_service_alone', 'kernel-keyring', 'locked', KernelKeyringStore, undefined],
  ])('%s', async (_name, setting, state, storeClass, other) => {
    const { probe } = probeSaying(state);
    const chosen = await openChosenSecretStore({ env: { LATCHKEY_STORE: setting, LATCHKEY_KEYCHAIN_SERVICE: 'latchkey-unit' }, platform: 'linux', lockProbe: probe });
    expect(chosen.store).toBeInstanceOf(storeClass);
    expect(chosen.other?.name).toBe(other);
  });

  it('asks the Secret Service once when it decides the choice', async () => {
    const { probe, asked } = probeSaying('unknown');
    const chosen = await openChosenSecretStore({ env: {}, platform: 'linux', lockProbe: probe });
    expect(chosen.choice).toEqual({ name: 'kernel-keyring', reason: 'no Secret Service on this machine' });
    expect(asked()).toBe(1);
  });

  it('uses the system keychain on macOS without asking D-Bus', async () => {
    const { probe, asked } = probeSaying('unknown');
    const chosen = await openChosenSecretStore({ env: {}, platform: 'darwin', lockProbe: probe });
    expect(chosen.store).toBeInstanceOf(KeytarSecretStore);
    expect(chosen.other).toBeUndefined();
    expect(asked()).toBe(0);
  });
});
