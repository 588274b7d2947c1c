import { describe, expect, it } from 'vitest';
import { assertStorableKey, parseSecretRecordKey, secretRecordKey, type SecretRecordRef } from '../../../main/core/secret-records-keys';

const oddNames = ['work', '', 'a:b', 'a%3Ab', 'a#b', 'with space', 'ünïcødé', '🔑', 'role:x:y:z', '%', 'a/b\\c', '\u0000'];

describe('secret record keys', () => {
  it.each([
    [{ kind: 'registration', session: 'work' }, 'registration:work'],
    [{ kind: 'token', session: 'my session' }, 'token:my%20session'],
    [{ kind: 'role', session: 'work', accountId: '111111111111', roleName: 'Developer' }, 'role:work:111111111111:Developer'],
  ] as Array<[SecretRecordRef, string]>)('names %j as %s', (ref, key) => {
    expect(secretRecordKey(ref)).toBe(key);
    expect(parseSecretRecordKey(key)).toEqual(ref);
  });

  it.each(oddNames)('round trips session name %j in every kind, storable and without "#"', (session) => {
    const refs: SecretRecordRef[] = [
      { kind: 'registration', session },
      { kind: 'token', session },
      { kind: 'role', session, accountId: session, roleName: `${session}:x` },
    ];
    for (const ref of refs) {
      const key = secretRecordKey(ref);
      expect(() => assertStorableKey(key)).not.toThrow();
      expect(parseSecretRecordKey(key)).toEqual(ref);
    }
  });

  it('gives distinct keys to distinct records, however the names are chosen', () => {
    const keys = new Set<string>();
    let count = 0;
    for (const session of oddNames) {
      for (const other of oddNames) {
        keys.add(secretRecordKey({ kind: 'role', session, accountId: other, roleName: session }));
        keys.add(secretRecordKey({ kind: 'token', session: `${session}${other}` }));
        count += 1;
      }
    }
    const tokenNames = new Set(oddNames.flatMap((a) => oddNames.map((b) => `${a}${b}`)));
    expect(keys.size).toBe(count + tokenNames.size);
  });

  it.each([['unrelated'], ['token:a:b'], ['role:a:b'], ['token:%ZZ'], ['token:a%41'], ['registration'], ['secret:work']])(
    'does not take %j for one of its keys',
    (key) => {
      expect(parseSecretRecordKey(key)).toBeUndefined();
    },
  );

  it('refuses a session name that is not valid Unicode', () => {
    expect(() => secretRecordKey({ kind: 'token', session: '\ud800' })).toThrow(expect.objectContaining({ code: 'usage_error' }));
  });
});
