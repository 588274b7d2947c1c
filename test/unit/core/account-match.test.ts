import { describe, expect, it } from 'vitest';
import type { AccountWithRoles } from '../../../main/core/account-directory';
import { accountByName, assertRoleOf } from '../../../main/core/account-match';

const ACCOUNTS: AccountWithRoles[] = [
  { accountId: '111111111111', accountName: 'Development', roles: ['Developer', 'ReadOnly'] },
  { accountId: '222222222222', accountName: 'Production', roles: ['ReadOnly'] },
  { accountId: '333333333333', accountName: 'prod-eu', roles: ['ReadOnly', 'Admin'] },
  { accountId: '444444444444', accountName: 'Sandbox', roles: ['Admin'] },
  { accountId: '555555555555', roles: ['Admin'] },
];

describe('an account named by its name', () => {
  it('is the account with exactly that name, ignoring case', () => {
    expect(accountByName(ACCOUNTS, 'production').accountId).toBe('222222222222');
    expect(accountByName(ACCOUNTS, 'PROD-EU').accountId).toBe('333333333333');
  });

  it('is the one account whose name contains it when no name is exactly it', () => {
    expect(accountByName(ACCOUNTS, 'sand').accountId).toBe('444444444444');
  });

  it('is refused with the matches listed when several names contain it', () => {
    expect(() => accountByName(ACCOUNTS, 'prod')).toThrow(
      'The account name "prod" matches 2 accounts: Production (222222222222), prod-eu (333333333333); name one by its id or its full name.',
    );
  });

  it('lists eight matches and counts the rest', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ accountId: String(100000000000 + i), accountName: `team-${i}`, roles: ['Dev'] }));
    expect(() => accountByName(many, 'team')).toThrow(/matches 12 accounts: team-0 \(100000000000\),.* team-7 \(100000000007\) and 4 more;/);
  });

  it('is refused with the closest name when nothing matches', () => {
    expect(() => accountByName(ACCOUNTS, 'Sandbax')).toThrow('No account of this session is named "Sandbax". Did you mean "Sandbox"? Run "latchkey accounts" to see them.');
  });

  it('never echoes control characters from the name', () => {
    expect(() => accountByName(ACCOUNTS, 'x\u001b[31m')).toThrow(/^No account of this session is named "x\uFFFD\[31m"/);
  });
});

describe('the role of an account found by name', () => {
  it('passes when the account has it', () => {
    expect(() => assertRoleOf(ACCOUNTS[1] as AccountWithRoles, 'ReadOnly')).not.toThrow();
  });

  it('is refused naming the roles the account has', () => {
    expect(() => assertRoleOf(ACCOUNTS[1] as AccountWithRoles, 'Admin')).toThrow('Production (222222222222) has no role Admin; its roles: ReadOnly.');
  });
});
