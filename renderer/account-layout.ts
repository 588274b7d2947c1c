import { filterAccounts } from '../main/core/account-filter';
import type { AccountsView, RecentRoleView, RoleRef } from '../main/core/role-actions';

/** The browser draws this many role rows at most; a search narrows the rest. */
export const SHOWN_ROWS = 50;
/** Joins the parts of a row key; CSS.escape keeps it (it would turn a NUL into U+FFFD). */
export const KEY_SEPARATOR = '\u001f';
/** The Recent group's length, as the tray's. */
export const RECENT_SHOWN = 5;

export interface RoleRow extends RoleRef {
  accountName: string;
  /** Unique on the page: the group it is drawn in, then the role. */
  key: string;
}

export interface AccountBlock {
  accountId: string;
  accountName: string;
  rows: RoleRow[];
}

/** One group of the browser: the recently used roles, or one signed-in session's accounts. */
export interface AccountSection {
  kind: 'recent' | 'session';
  /** The session's name, or undefined for Recent. */
  session?: string;
  /** The blocks drawn; the rows past the limit are left out. */
  accounts: AccountBlock[];
  /** Role rows of this group the search matches, drawn or not. */
  matching: number;
  shown: number;
}

export interface AccountLayout {
  /** Recent when any of it matches, then one section per listing, even when nothing in it matches. */
  sections: AccountSection[];
  /** Role rows drawn, Recent included. */
  shown: number;
  /** Role rows the search matches, Recent included. */
  matching: number;
}

export interface LayoutInput {
  /** Listings of the signed-in sessions, in the order the sessions list shows them. */
  listings: readonly AccountsView[];
  recent: readonly RecentRoleView[];
  filter: string;
  limit?: number;
}

/**
 * What the account browser draws for a search: Recent first (roles of signed-in sessions
 * that are still in their listing), then each session's accounts, every role one row.
 * Matching is `filterAccounts`, the one `latchkey accounts prod` uses, so the window and
 * the shell agree on what a search means. Rows past the limit are counted, not drawn.
 */
export function layoutAccounts(input: LayoutInput): AccountLayout {
  const limit = input.limit ?? SHOWN_ROWS;
  let shown = 0;
  const take = (kind: AccountSection['kind'], session: string | undefined, accounts: readonly AccountBlock[]): AccountSection => {
    const section: AccountSection = { kind, ...(session === undefined ? {} : { session }), accounts: [], matching: 0, shown: 0 };
    for (const account of accounts) {
      section.matching += account.rows.length;
      const room = Math.max(0, limit - shown);
      if (room === 0) continue;
      const rows = account.rows.slice(0, room);
      shown += rows.length;
      section.shown += rows.length;
      section.accounts.push({ ...account, rows });
    }
    return section;
  };

  const sections: AccountSection[] = [];
  const recent = take('recent', undefined, recentBlocks(input.listings, input.recent, input.filter));
  if (recent.matching > 0) sections.push(recent);
  for (const listing of input.listings) {
    const blocks = filterAccounts(listing.accounts, input.filter).map((account) => block(listing.session, account.accountId, account.accountName, account.roles, 'session'));
    sections.push(take('session', listing.session, blocks));
  }
  return { sections, shown, matching: sections.reduce((sum, section) => sum + section.matching, 0) };
}

/** Each recent role as a block of its own, newest first, keeping only those the search matches. */
function recentBlocks(listings: readonly AccountsView[], recent: readonly RecentRoleView[], filter: string): AccountBlock[] {
  const assigned = (role: RecentRoleView): boolean =>
    listings.some((listing) => listing.session === role.session && listing.accounts.some((a) => a.accountId === role.accountId && a.roles.includes(role.roleName)));
  const candidates = recent.filter(assigned).map((role) => ({ ...role, roles: [role.roleName] }));
  return filterAccounts(candidates, filter)
    .slice(0, RECENT_SHOWN)
    .map((role) => block(role.session, role.accountId, role.accountName, role.roles, 'recent'));
}

function block(session: string, accountId: string, accountName: string, roles: readonly string[], group: AccountSection['kind']): AccountBlock {
  return {
    accountId,
    accountName,
    rows: roles.map((roleName) => ({ session, accountId, accountName, roleName, key: [group, session, accountId, roleName].join(KEY_SEPARATOR) })),
  };
}

/** "ReadOnly in Production (222222222222)": how a row is named to a screen reader and in messages. */
export function roleLabel(row: { roleName: string; accountName: string; accountId: string }): string {
  return row.accountName === row.accountId ? `${row.roleName} in ${row.accountId}` : `${row.roleName} in ${row.accountName} (${row.accountId})`;
}
