import type { AccountWithRoles } from './account-directory';
import { closestName } from './closest-name';
import { LatchkeyError } from './errors';
import { printable } from './printable-text';

/** How many matches a "which one?" message lists before it says how many more there are. */
const MATCHES_LISTED = 8;

/**
 * The account a name means, where that is unambiguous: an exact name (ignoring case) wins;
 * else a name that contains it, if only one does. Anything else is refused with the
 * matches listed, so a person picks by id rather than Latchkey guessing between "prod"
 * and "prod-eu" with credentials on the line.
 */
export function accountByName(accounts: readonly AccountWithRoles[], name: string): AccountWithRoles {
  const wanted = name.toLowerCase();
  const named = accounts.filter((account) => account.accountName !== undefined);
  const exact = named.filter((account) => account.accountName?.toLowerCase() === wanted);
  const matches = exact.length > 0 ? exact : named.filter((account) => account.accountName?.toLowerCase().includes(wanted) === true);
  const [only] = matches;
  if (matches.length === 1 && only !== undefined) return only;
  const shown = printable(name, 64);
  if (matches.length === 0) {
    const closest = closestName(name, named.map((account) => account.accountName ?? ''));
    const hint = closest === undefined ? '' : ` Did you mean "${printable(closest, 64)}"?`;
    throw new LatchkeyError('not_found', `No account of this session is named "${shown}".${hint} Run "latchkey accounts" to see them.`);
  }
  const listed = matches.slice(0, MATCHES_LISTED).map((account) => `${printable(account.accountName ?? '', 64)} (${account.accountId})`);
  const more = matches.length > MATCHES_LISTED ? ` and ${matches.length - MATCHES_LISTED} more` : '';
  throw new LatchkeyError(
    'invalid_request',
    `The account name "${shown}" matches ${matches.length} accounts: ${listed.join(', ')}${more}; name one by its id or its full name.`,
  );
}

/** The role in an account found by name, or a sentence naming the roles it has. */
export function assertRoleOf(account: AccountWithRoles, roleName: string): void {
  if (account.roles.includes(roleName)) return;
  const name = printable(account.accountName ?? account.accountId, 64);
  const roles = account.roles.length === 0 ? 'none' : account.roles.join(', ');
  throw new LatchkeyError('not_found', `${name} (${account.accountId}) has no role ${roleName}; its roles: ${roles}.`);
}
