/** What a filter looks at: an account's name and id and its roles. */
export interface FilterableAccount {
  accountId: string;
  accountName?: string;
  roles: readonly string[];
}

/**
 * The accounts and roles a search means, as `latchkey accounts prod` and the window's
 * search field read it: the words, ignoring case, must each be found in the account's
 * name, its id or the role's name. A role row matches when all its words do, so "prod"
 * keeps every role of the prod accounts and "prod read" only their ReadOnly roles. An
 * empty filter keeps everything. Accounts keep their order; each keeps its matching roles.
 */
export function filterAccounts<A extends FilterableAccount>(accounts: readonly A[], filter: string): A[] {
  const words = filterWords(filter);
  if (words.length === 0) return [...accounts];
  const kept: A[] = [];
  for (const account of accounts) {
    const own = `${account.accountName ?? ''}\u0000${account.accountId}`.toLowerCase();
    const roles = account.roles.filter((role) => {
      const row = `${own}\u0000${role.toLowerCase()}`;
      return words.every((word) => row.includes(word));
    });
    if (roles.length > 0) kept.push({ ...account, roles });
  }
  return kept;
}

export function filterWords(filter: string): string[] {
  return filter.toLowerCase().split(/\s+/).filter((word) => word !== '');
}
