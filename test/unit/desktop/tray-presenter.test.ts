import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BridgeEvent, SessionView, SignOutView } from '../../../main/core/bridge';
import { toDisposable } from '../../../main/core/lifecycle';
import { silentLogger } from '../../../main/core/logger';
import type { NoticeDecision, NotificationPolicy } from '../../../main/core/notification-policy';
import type { RecentRoleView, RoleRef } from '../../../main/core/role-actions';
import { TrayPresenter } from '../../../main/desktop/tray-presenter';
import { FakeTray } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

const NOW = Date.UTC(2026, 0, 1, 12);
const corp: SessionView = {
  name: 'corp',
  startUrl: 'https://corp.awsapps.com/start',
  region: 'eu-central-1',
  state: 'signed-in',
  accessTokenExpiresAtMs: NOW + 3_600_000,
  refreshable: true,
  needsAttention: false,
  clientName: 'Latchkey on host',
};

interface MenuItem {
  label?: string;
  click?: () => void;
  submenu?: MenuItem[];
}

/** Follows labels down the tray's menu, as a person clicking through it would. */
function menuItem(...labels: string[]): MenuItem {
  let items = ((FakeTray.instances.at(-1)?.menu?.template ?? []) as MenuItem[]);
  let found: MenuItem | undefined;
  for (const label of labels) {
    found = items.find((item) => item.label?.startsWith(label));
    if (found === undefined) throw new Error(`no menu item "${label}" among ${items.map((item) => item.label).join(', ')}`);
    items = found.submenu ?? [];
  }
  return found as MenuItem;
}

let presenter: TrayPresenter | undefined;
const clipboard: string[] = [];
/** What the presenter asked of the controller, the window and the notifications, in order. */
const calls: string[] = [];
const notices: NoticeDecision[] = [];
let recentRoles: RecentRoleView[] = [];
let signOutOutcome: SignOutView = { awsTold: true };
let emit: (event: BridgeEvent) => void = () => undefined;

beforeEach(() => {
  FakeTray.instances = [];
  clipboard.length = 0;
  calls.length = 0;
  notices.length = 0;
  recentRoles = [];
  signOutOutcome = { awsTold: true };
  emit = () => undefined;
  showPrompt.mockClear();
  openConsole.mockReset();
  openConsole.mockResolvedValue(undefined);
});
afterEach(async () => {
  await presenter?.dispose();
  presenter = undefined;
});

const showPrompt = vi.fn<(session: string, start: boolean) => Promise<void>>(async () => undefined);
const openConsole = vi.fn<(role: RoleRef) => Promise<void>>();

const production: RecentRoleView = { session: 'corp', accountId: '222222222222', accountName: 'Production', roleName: 'ReadOnly', usedAtMs: NOW };

/** A presenter over `sessions` (signed-in ones have one role), on `platform`, whose launcher is `latchkeyCommand`. */
async function open(platform: NodeJS.Platform, latchkeyCommand: readonly string[], sessions: SessionView[] = [corp]): Promise<void> {
  const policy = { sessionsChanged: () => ({ kind: 'none' }), nextCheckAtMs: () => undefined } as unknown as NotificationPolicy;
  // Not an object literal: the options grow as the tray does, and a test names only what it needs.
  const options = {
    iconDir: '/icons',
    platform,
    readTaskbarTheme: async () => 'dark' as const,
    clock: { nowMs: () => NOW, sleep: async () => undefined },
    formatTime: () => '13:00',
    controller: {
      listSessions: async () => sessions,
      cancelSignIn: async () => undefined,
      signOut: async () => {
        calls.push('signOut');
        return signOutOutcome;
      },
      recentRoles: async () => recentRoles,
      openConsole,
      focusAccountSearch: () => void calls.push('focusAccountSearch'),
      onEvent: (listener: (event: BridgeEvent) => void) => {
        emit = listener;
        return toDisposable(() => undefined);
      },
    },
    loginItems: { isEnabled: async () => false, setEnabled: async () => undefined },
    policy,
    notifications: { apply: (decision: NoticeDecision) => void notices.push(decision) },
    window: {
      // Resolves a turn later, as a window that is still loading does: a focus sent before it would be lost.
      show: async () => {
        await Promise.resolve();
        calls.push('window.show');
      },
      isWatching: () => false,
    },
    listRoles: async () => [{ accountId: '111111111111', accountName: 'Development', roleName: 'Developer' }],
    showPrompt,
    reloadSessions: async () => undefined,
    writeClipboard: (text: string) => void clipboard.push(text),
    latchkeyCommand,
    quit: () => undefined,
    logger: silentLogger,
  };
  presenter = new TrayPresenter(options);
  await presenter.update();
}

describe('TrayPresenter', () => {
  it.each([
    [
      'linux',
      ['/opt/Latchkey/resources/bin/latchkey'],
      'credential_process = /opt/Latchkey/resources/bin/latchkey credential-process --session corp --account 111111111111 --role Developer\nregion = eu-central-1',
    ],
    [
      'darwin',
      ['/Applications/Dev Tools/Latchkey.app/Contents/Resources/bin/latchkey'],
      "credential_process = '/Applications/Dev Tools/Latchkey.app/Contents/Resources/bin/latchkey' credential-process --session corp --account 111111111111 --role Developer\nregion = eu-central-1",
    ],
    [
      'win32',
      ['C:\\Users\\Ann Lee\\AppData\\Local\\Programs\\latchkey\\resources\\bin\\latchkey.exe'],
      'credential_process = "C:\\Users\\Ann Lee\\AppData\\Local\\Programs\\latchkey\\resources\\bin\\latchkey.exe" credential-process --session corp --account 111111111111 --role Developer\r\nregion = eu-central-1',
    ],
  ] as const)('on %s copies a credential_process line that names the launcher by its path, and the session region', async (platform, command, lines) => {
    await open(platform, command);
    // The roles are listed once the session shows signed in; the menu is drawn again after.
    await vi.waitFor(() => menuItem('corp', 'Copy credential_process line', 'Development', 'Developer'));
    menuItem('corp', 'Copy credential_process line', 'Development', 'Developer').click?.();
    await vi.waitFor(() => expect(clipboard).toEqual([lines]));
  });

  it.each([
    ['Sign in…', { ...corp, state: 'signed-out' as const }, true],
    ['Show sign-in', { ...corp, state: 'signing-in' as const }, false],
  ])('brings the window forward for %s, a click in the tray', async (label, session, start) => {
    await open('linux', ['/opt/l'], [session]);
    menuItem('corp', label).click?.();
    await vi.waitFor(() => expect(showPrompt).toHaveBeenCalledWith('corp', start));
  });

  it('opens the AWS console as the role a click on a Recent item names', async () => {
    recentRoles = [production];
    await open('linux', ['/opt/l']);
    menuItem('Production (222222222222) · ReadOnly').click?.();
    await vi.waitFor(() => expect(openConsole).toHaveBeenCalledWith({ session: 'corp', accountId: '222222222222', roleName: 'ReadOnly' }));
  });

  it('redraws the Recent group with the roles a recent-roles-changed event brings', async () => {
    recentRoles = [production];
    await open('linux', ['/opt/l']);
    const development: RecentRoleView = { session: 'corp', accountId: '111111111111', accountName: 'Development', roleName: 'Developer', usedAtMs: NOW + 1 };
    emit({ type: 'recent-roles-changed', recent: [development, production] });
    await vi.waitFor(() => expect(recentLabels()).toEqual(['Development (111111111111) · Developer', 'Production (222222222222) · ReadOnly']));
    emit({ type: 'recent-roles-changed', recent: [] });
    await vi.waitFor(() => expect(recentLabels()).toEqual([]));
  });

  it('shows the window and then focuses the account search for Open console…', async () => {
    await open('linux', ['/opt/l']);
    menuItem('Open console…').click?.();
    await vi.waitFor(() => expect(calls).toEqual(['window.show', 'focusAccountSearch']));
  });

  it('tells in a notification that AWS was not told of a Sign out, and until when the token stays valid there', async () => {
    signOutOutcome = { awsTold: false, tokenValidUntilMs: NOW + 3_600_000 };
    await open('linux', ['/opt/l']);
    menuItem('corp', 'Sign out').click?.();
    const shown = () => notices.filter((decision) => decision.kind === 'show');
    await vi.waitFor(() => expect(shown()).toHaveLength(1));
    expect(shown()[0]).toEqual({
      kind: 'show',
      notice: {
        title: 'Signed out of corp, but AWS was not told',
        body: 'Its access token stays valid at AWS until 13:00. To end it sooner, sign out on the AWS access portal.',
        sessions: ['corp'],
      },
    });
  });

  it('shows no notification for a Sign out AWS was told of', async () => {
    await open('linux', ['/opt/l']);
    menuItem('corp', 'Sign out').click?.();
    await vi.waitFor(() => expect(calls).toContain('signOut'));
    expect(notices.filter((decision) => decision.kind === 'show')).toEqual([]);
  });

  it('tells in a notification that the console could not open, for which session and why', async () => {
    recentRoles = [production];
    openConsole.mockRejectedValue(new Error('The role\u001b[2J is not assigned.'));
    await open('linux', ['/opt/l']);
    menuItem('Production').click?.();
    const shown = () => notices.filter((decision) => decision.kind === 'show');
    await vi.waitFor(() => expect(shown()).toHaveLength(1));
    expect(shown()[0]).toEqual({
      kind: 'show',
      notice: { title: 'Latchkey could not open the AWS console for corp', body: 'The role\uFFFD[2J is not assigned.', sessions: ['corp'] },
    });
  });
});

/** The labels between the menu's "Recent" header and the separator after it; none when it has no header. */
function recentLabels(): string[] {
  const labels = ((FakeTray.instances.at(-1)?.menu?.template ?? []) as MenuItem[]).map((item) => item.label ?? '---');
  const header = labels.indexOf('Recent');
  return header === -1 ? [] : labels.slice(header + 1, labels.indexOf('---', header));
}
