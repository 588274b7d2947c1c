import type { SessionView } from './bridge';
import { printable } from './printable-text';
import type { RecentRoleView } from './role-actions';

/**
 * The tray as plain data: the desktop adapter renders it with Electron's Tray and Menu,
 * and compares models so that the menu is rebuilt only when something visible changed.
 * Nothing here depends on the passing of time except through `nowMs`, and no label counts
 * down: a menu that changes every minute would be rebuilt every minute (UX.md).
 */
export type TrayState = 'signed-in' | 'signing-in' | 'attention' | 'signed-out';

/** What a click on a menu item asks for; the adapter maps each to one controller call. */
export type TrayAction =
  | { kind: 'sign-in'; session: string }
  | { kind: 'show-sign-in'; session: string }
  | { kind: 'cancel-sign-in'; session: string }
  | { kind: 'refresh'; session: string }
  | { kind: 'copy-credential-process'; session: string; accountId: string; roleName: string }
  | { kind: 'sign-out'; session: string }
  | { kind: 'open-console'; session: string; accountId: string; roleName: string }
  | { kind: 'open-window' }
  | { kind: 'open-console-search' }
  | { kind: 'toggle-start-at-login' }
  | { kind: 'quit' };

export type TrayMenuItem =
  | { type: 'separator' }
  | {
      type: 'normal' | 'checkbox';
      label: string;
      enabled: boolean;
      checked?: boolean;
      action?: TrayAction;
      submenu?: TrayMenuItem[];
    };

export interface TrayModel {
  state: TrayState;
  tooltip: string;
  menu: TrayMenuItem[];
}

/** One role the "Copy credential_process line" submenu offers. */
export interface TrayRoleChoice {
  accountId: string;
  accountName: string;
  roleName: string;
}

export interface TrayModelInput {
  sessions: readonly SessionView[];
  nowMs: number;
  /** Read from the OS (login items or the XDG autostart file), never remembered. */
  startAtLogin: boolean;
  /** Roles per session, once listed; a signed-in session without an entry shows "Loading…". */
  roles?: ReadonlyMap<string, readonly TrayRoleChoice[] | 'unavailable'>;
  /** Recently used roles, newest first, as the agent keeps them; the tray shows the first few. */
  recent?: readonly RecentRoleView[];
  /** Clock time of an expiry in the OS locale, as the window and notifications show it (ClockText.time). */
  formatTime: (epochMs: number, nowMs: number) => string;
}

/**
 * Which icon wins when sessions differ, most urgent first:
 * - attention: a background tool is waiting for a signed-out session; only the person can
 *   fix it, so it outranks everything.
 * - signing-in: a sign-in is in progress; the icon confirms the click was heard.
 * - signed-in: at least one session is signed in. A session nobody uses may stay signed
 *   out all day; colouring the whole tray for it would teach people to ignore the icon.
 *   The tooltip still says "2 of 3", and attention takes over once a tool needs it.
 * - signed-out: nothing is signed in (or nothing is configured).
 */
export function trayStateOf(sessions: readonly SessionView[]): TrayState {
  if (sessions.some((s) => s.needsAttention && s.state !== 'signed-in')) return 'attention';
  if (sessions.some((s) => s.state === 'signing-in')) return 'signing-in';
  if (sessions.some((s) => s.state === 'signed-in')) return 'signed-in';
  return 'signed-out';
}

export function buildTrayModel(input: TrayModelInput): TrayModel {
  const summary = summaryText(input.sessions, input.nowMs, input.formatTime);
  return {
    state: trayStateOf(input.sessions),
    tooltip: `Latchkey · ${summary}`,
    menu: [
      { type: 'normal', label: summary, enabled: false },
      { type: 'separator' },
      ...recentItems(input.recent ?? [], input.sessions),
      ...input.sessions.map((session) => sessionItem(session, input, input.formatTime)),
      ...(input.sessions.length > 0 ? [{ type: 'separator' } as const] : []),
      { type: 'normal', label: 'Open Latchkey', enabled: true, action: { kind: 'open-window' } },
      { type: 'normal', label: 'Open console…', enabled: true, action: { kind: 'open-console-search' } },
      {
        type: 'checkbox',
        label: 'Start at login',
        enabled: true,
        checked: input.startAtLogin,
        action: { kind: 'toggle-start-at-login' },
      },
      { type: 'separator' },
      { type: 'normal', label: 'Quit Latchkey', enabled: true, action: { kind: 'quit' } },
    ],
  };
}

/** Structural equality: the adapter skips `setContextMenu` when this holds. */
export function sameTrayModel(a: TrayModel | undefined, b: TrayModel): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** "2 of 3 signed in · corp until 17:42": the soonest end among signed-in sessions. */
function summaryText(sessions: readonly SessionView[], nowMs: number, format: TrayModelInput['formatTime']): string {
  if (sessions.length === 0) return 'no sessions configured';
  const signedIn = sessions.filter((s) => s.state === 'signed-in');
  const count = sessions.length === 1 ? (signedIn.length === 1 ? 'signed in' : 'signed out') : `${signedIn.length} of ${sessions.length} signed in`;
  const soonest = signedIn
    .filter((s): s is SessionView & { accessTokenExpiresAtMs: number } => s.accessTokenExpiresAtMs !== undefined)
    .sort((a, b) => a.accessTokenExpiresAtMs - b.accessTokenExpiresAtMs)[0];
  if (soonest === undefined) return count;
  return `${count} · ${soonest.name} until ${format(soonest.accessTokenExpiresAtMs, nowMs)}`;
}

function sessionItem(session: SessionView, input: TrayModelInput, format: TrayModelInput['formatTime']): TrayMenuItem {
  const name = session.name;
  switch (session.state) {
    case 'signed-in': {
      const until = session.accessTokenExpiresAtMs === undefined ? '' : ` until ${format(session.accessTokenExpiresAtMs, input.nowMs)}`;
      return {
        type: 'normal',
        label: `${name}: signed in${until}`,
        enabled: true,
        submenu: [
          // It re-reads the AWS config and the account list; the token renews by itself.
          { type: 'normal', label: 'Reload accounts and roles', enabled: true, action: { kind: 'refresh', session: name } },
          {
            type: 'normal',
            label: 'Copy credential_process line',
            enabled: true,
            submenu: roleItems(name, input.roles?.get(name)),
          },
          { type: 'separator' },
          { type: 'normal', label: 'Sign out', enabled: true, action: { kind: 'sign-out', session: name } },
        ],
      };
    }
    case 'signing-in':
      return {
        type: 'normal',
        label: `${name}: signing in`,
        enabled: true,
        submenu: [
          { type: 'normal', label: 'Show sign-in', enabled: true, action: { kind: 'show-sign-in', session: name } },
          { type: 'normal', label: 'Cancel sign-in', enabled: true, action: { kind: 'cancel-sign-in', session: name } },
        ],
      };
    case 'signed-out':
      return {
        type: 'normal',
        label: `${name}: ${session.needsAttention ? 'needs sign-in' : 'signed out'}`,
        enabled: true,
        submenu: [{ type: 'normal', label: 'Sign in…', enabled: true, action: { kind: 'sign-in', session: name } }],
      };
  }
}

/** The window lists every recent role; the tray's menu stays short enough to scan at a glance. */
const RECENT_ROLES_SHOWN = 5;

/** AWS account names have at most 50 characters; a longer one would only widen the menu. */
const RECENT_ACCOUNT_NAME_MAX_CHARS = 64;

/**
 * "Recent": a header, the newest roles, a separator; nothing at all when there are none.
 * A role of a session no longer configured is left out, since its console cannot open.
 */
function recentItems(recent: readonly RecentRoleView[], sessions: readonly SessionView[]): TrayMenuItem[] {
  const shown = recent.filter((role) => sessions.some((s) => s.name === role.session)).slice(0, RECENT_ROLES_SHOWN);
  if (shown.length === 0) return [];
  // With one session the prefix says nothing; with several, the same account may sit in two.
  const prefixed = sessions.length > 1;
  return [
    { type: 'normal', label: 'Recent', enabled: false },
    ...shown.map((role): TrayMenuItem => {
      // The account name comes from the network: whatever was checked before this, a
      // control character must not reach the menu (printable cuts by code point, too).
      const account = `${printable(role.accountName, RECENT_ACCOUNT_NAME_MAX_CHARS)} (${role.accountId}) · ${role.roleName}`;
      return {
        type: 'normal',
        label: printable(prefixed ? `${role.session}: ${account}` : account),
        enabled: true,
        action: { kind: 'open-console', session: role.session, accountId: role.accountId, roleName: role.roleName },
      };
    }),
    { type: 'separator' },
  ];
}

function roleItems(session: string, roles: readonly TrayRoleChoice[] | 'unavailable' | undefined): TrayMenuItem[] {
  if (roles === undefined) return [{ type: 'normal', label: 'Loading accounts…', enabled: false }];
  if (roles === 'unavailable') return [{ type: 'normal', label: 'Accounts unavailable; try Reload accounts and roles', enabled: false }];
  if (roles.length === 0) return [{ type: 'normal', label: 'No roles assigned', enabled: false }];
  const byAccount = new Map<string, TrayRoleChoice[]>();
  for (const role of roles) byAccount.set(role.accountId, [...(byAccount.get(role.accountId) ?? []), role]);
  return [...byAccount.values()].map((accountRoles) => {
    const first = accountRoles[0] as TrayRoleChoice;
    return {
      type: 'normal',
      label: `${first.accountName} (${first.accountId})`,
      enabled: true,
      submenu: accountRoles.map((role) => ({
        type: 'normal',
        label: role.roleName,
        enabled: true,
        action: { kind: 'copy-credential-process', session, accountId: role.accountId, roleName: role.roleName },
      })),
    };
  });
}

/** What each tray action was trying to do, as the failure notice says it. */
const ACTION_WORDS: Readonly<Record<TrayAction['kind'] | 'list-roles', string>> = {
  'sign-in': 'start the sign-in',
  'show-sign-in': 'show the sign-in',
  'cancel-sign-in': 'cancel the sign-in',
  refresh: 'reload the accounts and roles',
  'copy-credential-process': 'copy the credential_process line',
  'sign-out': 'sign out',
  'open-console': 'open the AWS console',
  'open-window': 'open its window',
  'open-console-search': 'open the account browser',
  'toggle-start-at-login': 'change Start at login',
  quit: 'quit',
  'list-roles': 'list the accounts and roles',
};

/** Longest error text a notification shows; the agent log has the rest. */
const FAILURE_BODY_MAX = 200;

/**
 * The notification for a tray action that failed: a menu click that does nothing must say
 * so (UX.md). `message` is the error's own sentence, already made printable by the caller.
 */
export function trayActionFailedNotice(kind: TrayAction['kind'] | 'list-roles', session: string | undefined, message: string): { title: string; body: string; sessions: string[] } {
  const firstLine = message.split('\n')[0] ?? '';
  const body = firstLine.length > FAILURE_BODY_MAX ? `${firstLine.slice(0, FAILURE_BODY_MAX - 1)}…` : firstLine;
  return {
    title: `Latchkey could not ${ACTION_WORDS[kind]}${session === undefined ? '' : ` for ${session}`}`,
    body: body === '' ? 'See the Latchkey log for the reason.' : body,
    sessions: session === undefined ? [] : [session],
  };
}
