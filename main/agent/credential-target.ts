import { accountByName, assertRoleOf } from '../core/account-match';
import type { AccountWithRoles } from '../core/account-directory';
import type { SsoSessionConfig } from '../core/aws-config';
import type { SignInEngine } from '../core/sign-in-engine';
import type { AgentConfig, ResolvedTarget } from './agent-config';
import type { CredentialTargetWire } from './agent-wire-types';

/**
 * A caller's target resolved against the AWS config, an account named by its name
 * resolved against the session's listing: the kept one whatever its age (names rarely
 * change, and a name that moved is refused by the role check or the portal), else a new
 * listing. An id never needs the listing, so credential_process by id stays one lookup.
 */
export async function resolveCredentialTarget(
  services: { config: AgentConfig; engine: Pick<SignInEngine, 'accounts' | 'keptAccounts'> },
  wanted: CredentialTargetWire,
): Promise<ResolvedTarget> {
  if (!('accountName' in wanted)) return services.config.target(wanted);
  const session = await services.config.session(wanted.session);
  const account = accountByName(await listingOf(services.engine, session), wanted.accountName);
  assertRoleOf(account, wanted.roleName);
  return { session, accountId: account.accountId, roleName: wanted.roleName };
}

async function listingOf(engine: Pick<SignInEngine, 'accounts' | 'keptAccounts'>, session: SsoSessionConfig): Promise<AccountWithRoles[]> {
  return engine.keptAccounts(session)?.accounts ?? (await engine.accounts(session));
}
