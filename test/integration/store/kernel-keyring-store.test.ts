import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLatchkeyError } from '../../../main/core/errors';
import { KernelKeyringStore, USER_KEY_MAX_PAYLOAD_BYTES } from '../../../main/store/kernel-keyring-store';
import { keyctlForTest, kernelKeyringSkipReason } from '../../support/kernel-keyring';

/** Against the real persistent keyring of the user running the tests, under a unique service. */

const service = `latchkey-test-${randomUUID()}`;
const skipReason = await kernelKeyringSkipReason();
if (skipReason !== undefined) console.warn(`Skipping the kernel keyring tests: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('KernelKeyringStore on the real persistent keyring', () => {
  let keyring: string;
  let store: KernelKeyringStore;

  async function idOf(key: string): Promise<string> {
    return keyctlForTest(['search', keyring, 'user', `latchkey:${service}:${key}`]);
  }

  beforeAll(async () => {
    keyring = await keyctlForTest(['get_persistent', '@u']);
    store = new KernelKeyringStore({ service });
  });

  afterAll(async () => {
    for (const key of await store.keys()) await store.delete(key);
    expect(await store.keys()).toEqual([]);
  });

  it('sets, gets, replaces and deletes a record, also through a fresh store', async () => {
    await store.set('token:a', '{"v":1}');
    expect(await store.get('token:a')).toBe('{"v":1}');
    await store.set('token:a', '{"v":2}');
    expect(await new KernelKeyringStore({ service }).get('token:a')).toBe('{"v":2}');
    await store.delete('token:a');
    expect(await store.get('token:a')).toBeUndefined();
    await store.delete('token:a');
  });

  it('stores an empty value and multi-byte text, which the kernel alone cannot tell apart from nothing', async () => {
    await store.set('empty', '');
    expect(await store.get('empty')).toBe('');
    await store.set('text', 'Zoë 🔑 ключ');
    expect(await store.get('text')).toBe('Zoë 🔑 ключ');
    await store.delete('empty');
    await store.delete('text');
  });

  it('names keys latchkey:<service>:<key> and lets only their possessor and user read them', async () => {
    await store.set('registration:corp', 'x');
    const description = await keyctlForTest(['rdescribe', await idOf('registration:corp')]);
    expect(description).toBe(`user;${process.getuid?.()};${description.split(';')[2]};3f0f0000;latchkey:${service}:registration:corp`);
    await store.delete('registration:corp');
  });

  it('lists only its own service keys, not a longer service name or keys of another type', async () => {
    await store.set('token:one', '1');
    await store.set('role:one:111111111111:Dev', '2');
    const other = new KernelKeyringStore({ service: `${service}-other` });
    await other.set('token:two', '3');
    expect(await store.keys()).toEqual(['role:one:111111111111:Dev', 'token:one']);
    await other.delete('token:two');
    await store.delete('token:one');
    await store.delete('role:one:111111111111:Dev');
  });

  it('reads a key of the right name that it did not write, or that is not UTF-8, as no record', async () => {
    await keyctlForTest(['padd', 'user', `latchkey:${service}:token:foreign`, keyring], 'planted by someone else');
    expect(await store.get('token:foreign')).toBeUndefined();
    await keyctlForTest(['padd', 'user', `latchkey:${service}:token:foreign`, keyring], Buffer.from([...Buffer.from('latchkey1\n'), 0xff, 0xfe]));
    expect(await store.get('token:foreign')).toBeUndefined();
    await store.delete('token:foreign');
    expect(await store.keys()).toEqual([]);
  });

  it('refuses a value above the kernel payload limit before calling keyctl, naming the limit', async () => {
    const error: unknown = await store.set('big', 'x'.repeat(USER_KEY_MAX_PAYLOAD_BYTES)).catch((caught: unknown) => caught);
    expect(isLatchkeyError(error) && error.code).toBe('usage_error');
    expect((error as Error).message).toContain(String(USER_KEY_MAX_PAYLOAD_BYTES));
    const almost = 'y'.repeat(USER_KEY_MAX_PAYLOAD_BYTES - 'latchkey1\n'.length);
    await store.set('big', almost);
    expect(await store.get('big')).toBe(almost);
    await store.delete('big');
  });

  it('reports a missing keyctl as keychain_unavailable naming keyutils', async () => {
    const { execKeyctl } = await import('../../../main/store/keyctl');
    const broken = new KernelKeyringStore({ service, keyctl: execKeyctl(1_000, '/nonexistent/keyctl') });
    const error: unknown = await broken.get('token:a').catch((caught: unknown) => caught);
    expect(isLatchkeyError(error) && error.code).toBe('keychain_unavailable');
    expect((error as Error).message).toContain('keyutils');
  });
});
