import { describe, expect, it } from 'vitest';
import { InMemorySecretStore } from '../../../main/core/in-memory-secret-store';

describe('InMemorySecretStore', () => {
  it('gets, sets, overwrites, lists and deletes', async () => {
    const store = new InMemorySecretStore();
    await store.set('b', '1');
    await store.set('a', '');
    await store.set('b', '2');
    expect(await store.get('a')).toBe('');
    expect(await store.get('b')).toBe('2');
    expect(await store.keys()).toEqual(['a', 'b']);
    await store.delete('a');
    await store.delete('missing');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.keys()).toEqual(['b']);
  });

  it.each([[''], ['with#hash']])('refuses key %j like the keychain store', async (key) => {
    const store = new InMemorySecretStore();
    await expect(store.set(key, 'x')).rejects.toMatchObject({ code: 'usage_error' });
  });
});
