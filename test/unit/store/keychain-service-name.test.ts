import { describe, expect, it } from 'vitest';
import { keychainServiceName } from '../../../main/store/keychain-service-name';

describe('keychainServiceName', () => {
  it.each([
    ['unset', {}, 'Latchkey'],
    ['empty', { LATCHKEY_KEYCHAIN_SERVICE: '' }, 'Latchkey'],
    ['set', { LATCHKEY_KEYCHAIN_SERVICE: 'latchkey-test-1' }, 'latchkey-test-1'],
  ])('%s gives %s', (_name, env, service) => {
    expect(keychainServiceName(env)).toBe(service);
  });
});
