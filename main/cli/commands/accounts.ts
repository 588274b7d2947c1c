import { filterAccounts } from '../../core/account-filter';
import { LatchkeyError } from '../../core/errors';
import { printable } from '../../core/printable-text';
import { listAccounts } from '../account-listing';
import { readStatus, type AgentAccount } from '../agent-responses';
import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';

/** `latchkey accounts [WORDS...]`: the accounts a session can use and their roles, filtered by the words. */
export async function runAccounts(ctx: CliContext, command: Extract<CliCommand, { name: 'accounts' }>): Promise<number> {
  const session = command.session ?? (await onlySession(ctx));
  const accounts = filterAccounts(await listAccounts(ctx, session, command.refresh), command.filter);
  ctx.stdout.write(command.json ? `${JSON.stringify(accountsJson(session, accounts), null, 2)}\n` : accountsText(accounts, command.filter));
  return 0;
}

/** Without --session: the one sso-session there is; with several, which to name. */
async function onlySession(ctx: CliContext): Promise<string> {
  const status = await ctx.withAgent((client) => client.call({ method: 'GET', path: '/v1/status', read: readStatus }));
  const [only, ...others] = status.sessions;
  if (only !== undefined && others.length === 0) return only.name;
  if (only === undefined) throw new LatchkeyError('config_error', `The AWS config ${status.configFile} has no [sso-session] section; add one, then run "latchkey login --session NAME".`);
  const names = status.sessions.map((s) => s.name).join(', ');
  throw new LatchkeyError('usage_error', printable(`accounts needs --session NAME: the AWS config has several sso-sessions (${names}).`));
}

/** The stable `--json` shape, documented in docs/cli.md. */
export function accountsJson(session: string, accounts: readonly AgentAccount[]): unknown {
  return {
    session,
    accounts: accounts.map((a) => ({
      accountId: a.accountId,
      accountName: a.accountName,
      emailAddress: a.emailAddress ?? null,
      roles: a.roles,
    })),
  };
}

export function accountsText(accounts: readonly AgentAccount[], filter = ''): string {
  if (accounts.length === 0) {
    return filter.trim() === '' ? 'No accounts are assigned to you in this session.\n' : `${printable(`No account or role matches "${filter}".`)}\n`;
  }
  const width = Math.max(...accounts.map((a) => a.accountName.length));
  return accounts.map((a) => `${a.accountId}  ${a.accountName.padEnd(width)}  ${a.roles.join(', ')}\n`).join('');
}
