import { describe, expect, it } from 'vitest';
import { InMemorySecretStore } from '../../../main/core/in-memory-secret-store';
import { secretRecordKey } from '../../../main/core/secret-records-keys';
import { deleteSessionRecords, sessionRecords, sessionsWithRecords } from '../../../main/core/secret-records-session';

function storeWith(...keys: string[]): InMemorySecretStore {
  return new InMemorySecretStore(Object.fromEntries(keys.map((key) => [key, 'x'])));
}

const a = { registration: secretRecordKey({ kind: 'registration', session: 'a' }), token: secretRecordKey({ kind: 'token', session: 'a' }) };
const aRole = secretRecordKey({ kind: 'role', session: 'a', accountId: '1', roleName: 'R' });
const b = secretRecordKey({ kind: 'token', session: 'a:1:R' });

describe('session record helpers', () => {
  it('lists one session\'s records, most sensitive first, ignoring other sessions and foreign keys', async () => {
    const store = storeWith(a.registration, aRole, a.token, b, 'unrelated');
    expect((await sessionRecords(store, 'a')).map((record) => record.key)).toEqual([a.token, aRole, a.registration]);
  });

  it('deletes only the kinds asked for', async () => {
    const store = storeWith(a.registration, aRole, a.token, b);
    expect(await deleteSessionRecords(store, 'a', ['token', 'role'])).toEqual([a.token, aRole]);
    expect(await store.keys()).toEqual([a.registration, b].sort());
  });

  it('names every session with a record, for logout --all', async () => {
    expect(await sessionsWithRecords(storeWith(a.registration, aRole, b, 'unrelated'))).toEqual(['a', 'a:1:R']);
  });
});
