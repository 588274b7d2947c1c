import { describe, expect, it } from 'vitest';
import { filterAccounts } from '../../../main/core/account-filter';

const ACCOUNTS = [
  { accountId: '111111111111', accountName: 'Development', roles: ['Developer', 'ReadOnly'] },
  { accountId: '222222222222', accountName: 'Production', roles: ['ReadOnly', 'Admin'] },
  { accountId: '333333333333', accountName: 'prod-eu', roles: ['ReadOnly'] },
];

describe('filtering accounts and roles by words', () => {
  it('keeps everything for an empty filter', () => {
    expect(filterAccounts(ACCOUNTS, '  ')).toEqual(ACCOUNTS);
  });

  it('keeps every role of the accounts whose name matches, ignoring case', () => {
    expect(filterAccounts(ACCOUNTS, 'PROD')).toEqual([ACCOUNTS[1], ACCOUNTS[2]]);
  });

  it('matches the account id', () => {
    expect(filterAccounts(ACCOUNTS, '3333').map((a) => a.accountId)).toEqual(['333333333333']);
  });

  it('keeps only the roles that match when a word names a role', () => {
    expect(filterAccounts(ACCOUNTS, 'admin')).toEqual([{ ...ACCOUNTS[1], roles: ['Admin'] }]);
  });

  it('needs every word on one row: account and role together', () => {
    expect(filterAccounts(ACCOUNTS, 'prod read')).toEqual([
      { ...ACCOUNTS[1], roles: ['ReadOnly'] },
      { ...ACCOUNTS[2], roles: ['ReadOnly'] },
    ]);
    expect(filterAccounts(ACCOUNTS, 'development admin')).toEqual([]);
  });
});
