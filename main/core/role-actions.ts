import type { Disposable } from './lifecycle';
import type { SsoSessionSettings } from './sso-session-settings';

/** One role of one account of one session: what every per-role action names. */
export interface RoleRef {
  session: string;
  accountId: string;
  roleName: string;
}

/** An account as the account browser lists it; `accountName` falls back to the id. */
export interface AccountView {
  accountId: string;
  accountName: string;
  emailAddress?: string;
  roles: string[];
}

/** A session's listing as it was kept: `listedAtMs` says how old what is shown is. */
export interface AccountsView {
  session: string;
  accounts: AccountView[];
  listedAtMs: number;
}

/** A role recently used for credentials or the console, newest first. */
export interface RecentRoleView extends RoleRef {
  accountName: string;
  usedAtMs: number;
}

/** What "Add a profile" wrote: the profile's name and the file it went into. */
export interface AddedProfile {
  profile: string;
  configFile: string;
  /** False when a profile for the role was already in Latchkey's block (nothing written). */
  added: boolean;
}

/**
 * The per-role actions the window and the tray offer, implemented in the agent's layer
 * (main/agent/agent-roles.ts). Secrets (credentials, the console sign-in URL) stay on the
 * implementing side: `openConsole` opens the browser itself, and only `exportCommands`
 * returns secret text, for the clipboard and nothing else.
 */
export interface RoleActions {
  /**
   * The session's accounts and roles from the listing the agent keeps, whatever its age:
   * opening the window must not list hundreds of accounts again. It lists only when no
   * listing is kept, or when `refresh` asks.
   */
  accounts(session: SsoSessionSettings, refresh: boolean): Promise<AccountsView>;
  /** Newest first; at most RECENT_ROLES_KEPT. */
  recentRoles(): RecentRoleView[];
  onRecentRolesChanged(listener: (recent: RecentRoleView[]) => void): Disposable;
  /** Opens the AWS console signed in as the role, in the system browser, through the URL guard. */
  openConsole(session: SsoSessionSettings, accountId: string, roleName: string): Promise<void>;
  /** `export AWS_...` lines for a POSIX shell, as `latchkey export` prints them. */
  exportCommands(session: SsoSessionSettings, accountId: string, roleName: string): Promise<string>;
  /** A profile for the role in Latchkey's block of the AWS config, written as `setup-profiles` writes it. */
  addProfile(session: SsoSessionSettings, accountId: string, roleName: string): Promise<AddedProfile>;
}
