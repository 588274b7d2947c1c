// The account browser's layout in plain Node: what a search keeps, Recent first, and the
// row limit. The browser test drives the same code end to end.
import { describe, expect, it } from 'vitest';
import type { AccountsView, RecentRoleView } from '../../../main/core/role-actions';
import { layoutAccounts, roleLabel } from '../../../renderer/account-layout';

const corp: AccountsView = {
  session: 'corp',
  listedAtMs: 0,
  accounts: [
    { accountId: '111111111111', accountName: 'Development', roles: ['Developer', 'ReadOnly'] },
    { accountId: '222222222222', accountName: 'Production', roles: ['ReadOnly', 'Admin'] },
  ],
};
const lab: AccountsView = { session: 'lab', listedAtMs: 0, accounts: [{ accountId: '333333333333', accountName: '333333333333', roles: ['Admin'] }] };

function recent(session: string, accountId: string, roleName: string, accountName = accountId): RecentRoleView {
  return { session, accountId, roleName, accountName, usedAtMs: 0 };
}

const rows = (layout: ReturnType<typeof layoutAccounts>): string[] =>
  layout.sections.flatMap((section) => section.accounts.flatMap((account) => account.rows.map((row) => `${section.kind}:${row.session}/${row.accountId}/${row.roleName}`)));

describe('the account browser layout', () => {
  it('lists every role of every session, in order, without Recent when nothing was used', () => {
    const layout = layoutAccounts({ listings: [corp, lab], recent: [], filter: '' });
    expect(rows(layout)).toEqual([
      'session:corp/111111111111/Developer',
      'session:corp/111111111111/ReadOnly',
      'session:corp/222222222222/ReadOnly',
      'session:corp/222222222222/Admin',
      'session:lab/333333333333/Admin',
    ]);
    expect(layout).toMatchObject({ shown: 5, matching: 5 });
  });

  it('puts Recent first, keeping only roles still in a listing, and filters it with the same words', () => {
    const used = [recent('corp', '222222222222', 'Admin', 'Production'), recent('gone', '999999999999', 'Admin'), recent('corp', '111111111111', 'Retired')];
    expect(rows(layoutAccounts({ listings: [corp], recent: used, filter: '' }))[0]).toBe('recent:corp/222222222222/Admin');
    expect(rows(layoutAccounts({ listings: [corp], recent: used, filter: 'prod admin' }))).toEqual(['recent:corp/222222222222/Admin', 'session:corp/222222222222/Admin']);
    expect(layoutAccounts({ listings: [corp], recent: used, filter: 'develop' }).sections.map((section) => section.kind)).toEqual(['session']);
  });

  it('keeps at most five recent roles', () => {
    const many = Array.from({ length: 8 }, () => recent('corp', '111111111111', 'Developer'));
    expect(layoutAccounts({ listings: [corp], recent: many, filter: '' }).sections[0]?.shown).toBe(5);
  });

  it('draws up to the limit and counts the rest per session', () => {
    const layout = layoutAccounts({ listings: [corp, lab], recent: [], filter: '', limit: 3 });
    expect(rows(layout)).toHaveLength(3);
    expect(layout.sections.map((section) => [section.session, section.shown, section.matching])).toEqual([
      ['corp', 3, 4],
      ['lab', 0, 1],
    ]);
  });

  it('keeps a section for a session the search empties, so the page can say so', () => {
    const layout = layoutAccounts({ listings: [corp, lab], recent: [], filter: 'lab-only-word' });
    expect(layout.sections.map((section) => [section.session, section.matching])).toEqual([
      ['corp', 0],
      ['lab', 0],
    ]);
  });

  it('names a role with its account, or with the id alone when the account has no name', () => {
    expect(roleLabel({ roleName: 'ReadOnly', accountName: 'Production', accountId: '222222222222' })).toBe('ReadOnly in Production (222222222222)');
    expect(roleLabel({ roleName: 'Admin', accountName: '333333333333', accountId: '333333333333' })).toBe('Admin in 333333333333');
  });
});
