import { describe, expect, it } from 'vitest';
import { readAccounts } from '../../../main/cli/agent-responses';

/** The exact injection of issue 8, finding 2: a role name that opens a section of its own. */
const INJECTION = 'R\n[profile evil]\ncredential_process = touch /tmp/pwned';
const R = '\uFFFD';

function answer(account: Record<string, unknown>): unknown {
  return { accounts: [{ accountId: '111111111111', accountName: 'Development', roles: ['Developer'], ...account }] };
}

describe('readAccounts', () => {
  it('reads accounts with their roles and optional email address', () => {
    expect(readAccounts(answer({ emailAddress: 'dev@example.com' }))).toEqual([
      { accountId: '111111111111', accountName: 'Development', emailAddress: 'dev@example.com', roles: ['Developer'] },
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['role_name_injection', { roles: ['Developer', INJECTION] }, 'roles'],
    ['role_name_with_a_space', { roles: ['Power User'] }, 'roles'],
    ['role_name_too_long', { roles: ['x'.repeat(65)] }, 'roles'],
    ['account_id_injection', { accountId: '111111111111\n[profile evil]' }, 'accountId'],
    ['account_id_short', { accountId: '1' }, 'accountId'],
  ])('rejects an answer with %s as malformed, without repeating it', (_name, account, field) => {
    expect(() => readAccounts(answer(account))).toThrow(
      expect.objectContaining({ code: 'malformed_response', message: `The Latchkey agent sent an answer without a valid "${field}".` }),
    );
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['an_escape_sequence_in_a_name', { accountName: 'Dev\x1b[2J' }, { accountName: `Dev${R}[2J` }],
    ['a_bidi_override_in_a_name', { accountName: 'Dev\u202Eved' }, { accountName: `Dev${R}ved` }],
    ['a_newline_in_an_email_address', { emailAddress: 'a@b.example\nX' }, { emailAddress: `a@b.example${R}X` }],
  ])('cleans %s, as the AWS client does', (_name, account, expected) => {
    expect(readAccounts(answer(account))[0]).toMatchObject(expected);
  });
});
