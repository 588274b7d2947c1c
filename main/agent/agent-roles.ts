import type { AccountWithRoles } from '../core/account-directory';
import type { Clock } from '../core/clock';
import type { ConsoleLogin, ConsoleRequest, ConsoleSignIn } from '../core/console/console-sign-in';
import { exportCommands } from '../core/export-commands';
import type { Disposable } from '../core/lifecycle';
import type { RecentRoles } from '../core/recent-roles';
import { regionVariables } from '../core/region-variables';
import type { AccountsView, AddedProfile, RecentRoleView, RoleActions } from '../core/role-actions';
import type { StoredRoleCredentials } from '../core/session-vault';
import type { SignInEngine } from '../core/sign-in-engine';
import type { SsoSessionSettings } from '../core/sso-session-settings';
import type { CredentialTargetWire } from './agent-wire-types';
import { isoTime } from './agent-event';

export interface AgentRolesOptions {
  engine: Pick<SignInEngine, 'accounts' | 'keptAccounts'>;
  recent: RecentRoles;
  consoleSignIn: ConsoleSignIn;
  /** Opens a console sign-in URL through a one-shot launch link (console-opener.ts). */
  openConsoleUrl: (url: string) => Promise<void>;
  /** Credentials as a caller of the socket gets them (credential-lookup.ts, no waiting), which records the use. */
  credentials: (target: CredentialTargetWire) => Promise<StoredRoleCredentials>;
  /** Writes one profile into Latchkey's block of the AWS config (add-role-profile.ts). */
  addProfile: (session: SsoSessionSettings, account: { accountId: string; accountName: string }, roleName: string) => Promise<AddedProfile>;
  clock: Clock;
}

/**
 * The per-role actions of the window and the tray, and the console sign-in the socket's
 * `POST /v1/console` serves, over the agent's engine: one implementation for every door.
 */
export class AgentRoles implements RoleActions {
  /** Each write reads the file the previous one wrote: two quick clicks must not lose a profile. */
  private profileWrites: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AgentRolesOptions) {}

  async accounts(session: SsoSessionSettings, refresh: boolean): Promise<AccountsView> {
    const kept = refresh ? undefined : this.options.engine.keptAccounts(session);
    if (kept !== undefined) return accountsView(session.name, kept.accounts, kept.listedAtMs);
    const accounts = await this.options.engine.accounts(session, { refresh });
    const listedAtMs = this.options.engine.keptAccounts(session)?.listedAtMs ?? this.options.clock.nowMs();
    return accountsView(session.name, accounts, listedAtMs);
  }

  recentRoles(): RecentRoleView[] {
    return this.options.recent.list();
  }

  onRecentRolesChanged(listener: (recent: RecentRoleView[]) => void): Disposable {
    return this.options.recent.onChanged(listener);
  }

  /** The console sign-in URL for a role (a bearer secret): for `--print`, or to open. */
  async consoleLogin(session: SsoSessionSettings, accountId: string, roleName: string, request: ConsoleRequest = {}): Promise<ConsoleLogin> {
    const credentials = await this.options.credentials({ session: session.name, accountId, roleName });
    return this.options.consoleSignIn.login(session, credentials, request);
  }

  async openConsole(session: SsoSessionSettings, accountId: string, roleName: string, request: ConsoleRequest = {}): Promise<void> {
    await this.open(await this.consoleLogin(session, accountId, roleName, request));
  }

  /** Opens a login made by `consoleLogin` in the browser. */
  open(login: ConsoleLogin): Promise<void> {
    return this.options.openConsoleUrl(login.url);
  }

  async exportCommands(session: SsoSessionSettings, accountId: string, roleName: string): Promise<string> {
    const c = await this.options.credentials({ session: session.name, accountId, roleName });
    const credentials = { AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken, Expiration: isoTime(c.expiresAtMs) };
    // Pasted into a shell Latchkey cannot see: the session's region, as `export` falls back to it.
    return exportCommands(credentials, regionVariables({}, { sessionRegion: session.region }));
  }

  async addProfile(session: SsoSessionSettings, accountId: string, roleName: string): Promise<AddedProfile> {
    const accounts = (await this.accounts(session, false)).accounts;
    const account = accounts.find((known) => known.accountId === accountId);
    const write = this.profileWrites.then(
      () => this.options.addProfile(session, { accountId, accountName: account?.accountName ?? accountId }, roleName),
    );
    this.profileWrites = write.catch(() => undefined);
    return write;
  }
}

function accountsView(session: string, accounts: readonly AccountWithRoles[], listedAtMs: number): AccountsView {
  return {
    session,
    listedAtMs,
    accounts: accounts.map((account) => ({
      accountId: account.accountId,
      accountName: account.accountName ?? account.accountId,
      ...(account.emailAddress === undefined ? {} : { emailAddress: account.emailAddress }),
      roles: [...account.roles],
    })),
  };
}
