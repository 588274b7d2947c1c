import type { SignInFlow } from './client-registrar';
import type { AccountsView, AddedProfile, RecentRoleView, RoleRef } from './role-actions';
import type { SessionEvent } from './session-events';

/** One session as the window and the tray show it. Times are epoch milliseconds. */
export interface SessionView {
  name: string;
  startUrl: string;
  region: string;
  state: 'signed-in' | 'signing-in' | 'signed-out';
  /** Set while signed in. */
  accessTokenExpiresAtMs?: number;
  /** False when the session has no refresh token: it ends at `accessTokenExpiresAtMs`. */
  refreshable: boolean;
  /** A background tool asked for this session while it was signed out. */
  needsAttention: boolean;
  /** How the AWS approval page names this app ("Latchkey on host"); the prompt repeats it. */
  clientName: string;
}

/** How a sign-out ended at AWS; the records here are gone either way. */
export type SignOutView = { awsTold: true } | { awsTold: false; tokenValidUntilMs: number };

/** What reaches the page: session events, and the full list whenever it changes. */
export type BridgeEvent =
  | { type: 'session-event'; event: SessionEvent }
  | { type: 'sessions-changed'; sessions: SessionView[] }
  /** The main process wants the prompt of this session in front (tray, CLI, notification). */
  | { type: 'show-prompt'; session: string }
  /** The recently used roles changed (a console opened, credentials served). */
  | { type: 'recent-roles-changed'; recent: RecentRoleView[] }
  /** The tray's "Open console…": show the account browser with its search field focused. */
  | { type: 'focus-account-search' };

/**
 * `window.latchkey`: everything the renderer may ask of the app. Actions name a session,
 * never a URL or a secret: the main process opens and copies what it holds itself, so a
 * compromised page cannot steer `shell.openExternal` or read tokens.
 */
export interface LatchkeyBridge {
  readonly version: string;
  /**
   * The BCP 47 locale for clock times: the OS's (Electron's `app.getSystemLocale()`, which
   * follows the regional format), not the page's own UI language, so that the window
   * writes times as the tray and the notifications do.
   */
  clockLocale(): Promise<string>;
  listSessions(): Promise<SessionView[]>;
  startSignIn(session: string, flow?: SignInFlow): Promise<void>;
  cancelSignIn(session: string): Promise<void>;
  /** After network trouble: poll again now instead of waiting out the backoff. */
  retrySignIn(session: string): Promise<void>;
  /** Says whether AWS was told: when not, the token stays valid there until `tokenValidUntilMs`. */
  signOut(session: string): Promise<SignOutView>;
  /** Opens the current prompt's `verificationUriComplete` (or authorize URL) in the browser. */
  openVerificationPage(session: string): Promise<void>;
  copyUserCode(session: string): Promise<void>;
  copyVerificationUrl(session: string): Promise<void>;
  /** A signed-in session's accounts and roles, from the kept listing unless `refresh`. */
  listAccounts(session: string, refresh?: boolean): Promise<AccountsView>;
  recentRoles(): Promise<RecentRoleView[]>;
  /** The main process gets the sign-in URL and opens it; the page never sees it. */
  openConsole(role: RoleRef): Promise<void>;
  /** Copies `export AWS_...` lines; the credentials go to the clipboard, never to the page. */
  copyExportCommands(role: RoleRef): Promise<void>;
  /** Copies a `credential_process = ...` profile snippet that works as pasted. */
  copyCredentialProcessLine(role: RoleRef): Promise<void>;
  /** Adds a profile for the role to Latchkey's block of the AWS config. */
  addProfile(role: RoleRef): Promise<AddedProfile>;
  /** Returns the unsubscribe function. */
  onEvent(listener: (event: BridgeEvent) => void): () => void;
}

/** The request-response half of the bridge, one IPC channel per method. */
export type BridgeInvokeMethod = Exclude<keyof LatchkeyBridge, 'version' | 'onEvent'>;

export const BRIDGE_INVOKE_METHODS: readonly BridgeInvokeMethod[] = [
  'clockLocale',
  'listSessions',
  'startSignIn',
  'cancelSignIn',
  'retrySignIn',
  'signOut',
  'openVerificationPage',
  'copyUserCode',
  'copyVerificationUrl',
  'listAccounts',
  'recentRoles',
  'openConsole',
  'copyExportCommands',
  'copyCredentialProcessLine',
  'addProfile',
];

/** IPC channel names, declared once for the preload and the main process. */
export const BRIDGE_EVENT_CHANNEL = 'latchkey:event';

export function bridgeInvokeChannel(method: BridgeInvokeMethod): string {
  return `latchkey:${method}`;
}
