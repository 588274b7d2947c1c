import { describe, expect, it } from 'vitest';
import { isLatchkeyError } from '../../../main/core/errors';
import { chooseStore, type SecretServiceState, type StoreChoice } from '../../../main/core/store-choice';

describe('chooseStore', () => {
  it.each<[string, string | undefined, string, SecretServiceState, StoreChoice]>([
    ['unset_with_an_unlocked_service_uses_it', undefined, 'linux', 'unlocked', { name: 'secret-service', reason: 'a Secret Service answered and is unlocked' }],
    ['auto_without_a_service_uses_the_kernel_keyring', 'auto', 'linux', 'absent', { name: 'kernel-keyring', reason: 'no Secret Service on this machine' }],
    ['blank_counts_as_auto', '  ', 'linux', 'absent', { name: 'kernel-keyring', reason: 'no Secret Service on this machine' }],
    [
      'auto_with_a_locked_service_keeps_it_and_names_the_way_out',
      'auto',
      'linux',
      'locked',
      { name: 'secret-service', reason: 'a Secret Service answered but is locked: unlock it, or set LATCHKEY_STORE=kernel-keyring' },
    ],
    ['kernel_keyring_by_name_beats_an_unlocked_service', 'kernel-keyring', 'linux', 'unlocked', { name: 'kernel-keyring', reason: 'chosen by LATCHKEY_STORE=kernel-keyring' }],
    ['secret_service_by_name_without_one_is_kept', 'secret-service', 'linux', 'absent', { name: 'secret-service', reason: 'chosen by LATCHKEY_STORE=secret-service' }],
    ['macos_uses_its_keychain', undefined, 'darwin', 'absent', { name: 'secret-service', reason: 'the system keychain of this platform' }],
    ['windows_uses_its_keychain_even_when_named', 'secret-service', 'win32', 'absent', { name: 'secret-service', reason: 'the system keychain of this platform' }],
  ])('%s', async (_name, requested, platform, state, expected) => {
    expect(await chooseStore({ requested, platform, secretService: async () => state })).toEqual(expected);
  });

  it('asks the Secret Service only when it decides the choice', async () => {
    let asked = 0;
    const secretService = async (): Promise<SecretServiceState> => {
      asked += 1;
      return 'unlocked';
    };
    await chooseStore({ requested: 'kernel-keyring', platform: 'linux', secretService });
    await chooseStore({ requested: undefined, platform: 'darwin', secretService });
    expect(asked).toBe(0);
  });

  it.each([
    ['an_unknown_name', 'file', 'linux', /one of auto, secret-service, kernel-keyring/],
    ['the_kernel_keyring_off_linux', 'kernel-keyring', 'darwin', /Linux only/],
  ])('refuses %s as a usage error', async (_name, requested, platform, message) => {
    const error: unknown = await chooseStore({ requested, platform, secretService: async () => 'absent' }).catch((caught: unknown) => caught);
    expect(isLatchkeyError(error) && error.code).toBe('usage_error');
    expect((error as Error).message).toMatch(message);
  });
});
