import { listAccounts } from '../account-listing';
import type { AgentAccount } from '../agent-responses';
import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';

/** `latchkey accounts`: the accounts a session can use, and their roles. */
export async function runAccounts(ctx: CliContext, command: Extract<CliCommand, { name: 'accounts' }>): Promise<number> {
  const accounts = await listAccounts(ctx, command.session, command.refresh);
  ctx.stdout.write(command.json ? `${JSON.stringify(accountsJson(command.session, accounts), null, 2)}\n` : accountsText(accounts));
  return 0;
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

export function accountsText(accounts: readonly AgentAccount[]): string {
  if (accounts.length === 0) return 'No accounts are assigned to you in this session.\n';
  const width = Math.max(...accounts.map((a) => a.accountName.length));
  return accounts.map((a) => `${a.accountId}  ${a.accountName.padEnd(width)}  ${a.roles.join(', ')}\n`).join('');
}
