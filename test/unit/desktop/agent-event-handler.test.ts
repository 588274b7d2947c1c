import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentEvent } from '../../../main/agent/agent-event';
import { silentLogger } from '../../../main/core/logger';
import { NotificationPolicy, type NoticeDecision } from '../../../main/core/notification-policy';
import type { SignInProgress } from '../../../main/core/session-events';
import { AgentEventHandler } from '../../../main/desktop/agent-event-handler';
import { showPrompt } from '../../../main/desktop/show-prompt';
import { StatusWindow } from '../../../main/desktop/status-window';
import { FakeClock } from '../../support/fake-clock';
import { FakeBrowserWindow } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

const NOW = Date.UTC(2026, 0, 1, 12);
const CODE_ISSUED: SignInProgress = {
  type: 'code-issued',
  userCode: 'ABCD-EFGH',
  verificationUri: 'https://device.sso.eu-west-1.amazonaws.com/',
  verificationUriComplete: 'https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH',
  expiresAtMs: NOW + 600_000,
};
const BROWSER_OPENING: SignInProgress = {
  type: 'browser-opening',
  authorizeUrl: 'https://oidc.eu-west-1.amazonaws.com/authorize?client_id=x',
  redirectUri: 'http://127.0.0.1:49152/oauth/callback',
  expiresAtMs: NOW + 600_000,
};
const SIGNED_IN: AgentEvent = { type: 'signed-in', session: 'corp', accessTokenExpiresAtMs: NOW + 3_600_000, refreshable: true };

let window: StatusWindow;
let handler: AgentEventHandler;
/** Sessions whose sign-in the window or the tray started, as SessionsController.startedHere reports. */
const startedHere = new Set<string>();
const decisions: NoticeDecision[] = [];
const updateTray = vi.fn(async () => undefined);
const startSignIn = vi.fn(async (session: string) => void startedHere.add(session));

beforeEach(() => {
  FakeBrowserWindow.instances = [];
  startedHere.clear();
  decisions.length = 0;
  updateTray.mockClear();
  startSignIn.mockClear();
  window = new StatusWindow({ preloadPath: '/app/dist/preload/preload.cjs', rendererDir: '/app/dist/renderer', isQuitting: () => false });
  handler = new AgentEventHandler({
    reloadSessions: async () => undefined,
    controller: { startedHere: (session) => startedHere.has(session), markNeedsAttention: () => undefined },
    policy: new NotificationPolicy(new FakeClock({ startMs: NOW }), { formatTime: () => '13:00' }),
    notifications: { apply: (decision) => void decisions.push(decision) },
    window,
    updateTray,
    logger: silentLogger,
  });
});
afterEach(() => window.dispose());

/** The window as the person sees it: never made, or made and in front or behind. */
function windowState(): 'never shown' | { visible: boolean; focused: boolean } {
  const created = FakeBrowserWindow.instances[0];
  return created === undefined ? 'never shown' : { visible: created.visible, focused: created.focused };
}

/** Lets whatever the handler started (a window's show awaits its page) run its course. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A sign-in `latchkey login` runs: its prompt, then approval and the end. */
function terminalSignIn(progress: SignInProgress): void {
  handler.handle({ type: 'sign-in-progress', session: 'corp', progress });
  handler.handle({ type: 'sign-in-progress', session: 'corp', progress: { type: 'approved' } });
}

describe('the desktop app and a sign-in started in a terminal', () => {
  it.each([
    ['device code', CODE_ISSUED],
    ['PKCE', BROWSER_OPENING],
  ])('neither shows nor focuses the window for a %s sign-in, and redraws the tray', async (_flow, progress) => {
    terminalSignIn(progress);
    await vi.waitFor(() => expect(updateTray).toHaveBeenCalledTimes(1));
    await settle();
    expect(windowState()).toBe('never shown');
  });

  it('leaves a window that was open behind other windows where it is', async () => {
    await window.show();
    FakeBrowserWindow.instances[0]?.hide();
    terminalSignIn(CODE_ISSUED);
    handler.handle(SIGNED_IN);
    await settle();
    expect(windowState()).toEqual({ visible: false, focused: false });
  });

  it('announces neither its end nor its failure in a notification: the terminal says it', () => {
    terminalSignIn(CODE_ISSUED);
    handler.handle(SIGNED_IN);
    terminalSignIn(CODE_ISSUED);
    handler.handle({ type: 'sign-in-failed', session: 'corp', code: 'access_denied' });
    expect(decisions.filter((decision) => decision.kind === 'show')).toEqual([]);
  });
});

describe('the desktop app and a sign-in started from the tray', () => {
  it('shows and focuses the window with the prompt before the sign-in starts, and the agent events take nothing away', async () => {
    const showPromptInPage = vi.fn();
    await showPrompt({ reloadSessions: async () => undefined, window, controller: { startSignIn, showPrompt: showPromptInPage } }, 'corp', true);
    expect(windowState()).toEqual({ visible: true, focused: true });
    expect(startSignIn).toHaveBeenCalledWith('corp');
    expect(showPromptInPage).toHaveBeenCalledWith('corp');
    handler.handle({ type: 'sign-in-progress', session: 'corp', progress: CODE_ISSUED });
    expect(updateTray).not.toHaveBeenCalled();
    expect(windowState()).toEqual({ visible: true, focused: true });
  });

  it('announces its end in a notification when the window was closed meanwhile', async () => {
    await showPrompt({ reloadSessions: async () => undefined, window, controller: { startSignIn, showPrompt: () => undefined } }, 'corp', true);
    handler.handle({ type: 'sign-in-progress', session: 'corp', progress: CODE_ISSUED });
    FakeBrowserWindow.instances[0]?.hide();
    handler.handle(SIGNED_IN);
    expect(decisions.filter((decision) => decision.kind === 'show')).toHaveLength(1);
  });
});

describe('the desktop app and a tool that needs a signed-out session', () => {
  it('notifies without showing the window', async () => {
    handler.handle({ type: 'needs-sign-in', session: 'corp', profile: 'dev' });
    await vi.waitFor(() => expect(decisions.filter((decision) => decision.kind === 'show')).toHaveLength(1));
    expect(windowState()).toBe('never shown');
  });
});
