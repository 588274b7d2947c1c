import type { BridgeEvent, LatchkeyBridge, SessionView } from '../main/core/bridge';
import type { SignInFlow } from '../main/core/client-registrar';
import type { ClockText } from '../main/core/clock-text';
import type { SessionEvent } from '../main/core/session-events';
import { awsNotToldSentence } from '../main/core/sign-out-notice';
import { AccountBrowser } from './account-browser';
import { Announcer } from './announcer';
import { errorText } from './error-text';
import { Ticker } from './countdown';
import { nextPromptState, SETTLED_PHASES, startingPrompt, type PromptState } from './prompt-state';
import { PromptView } from './prompt-view';
import { SessionsView } from './sessions-view';

/** The list's "52 min left" moves slowly; redrawing it twice a minute is plenty. */
const LIST_REDRAW_MS = 30_000;

/**
 * The window: the sessions list, and the prompt of one sign-in in front of it. Everything
 * it does goes through `window.latchkey`; it holds no URL or code it did not receive.
 */
export class App {
  private readonly announcer = new Announcer();
  private readonly promptView: PromptView;
  private readonly sessionsView: SessionsView;
  private readonly accounts: AccountBrowser;
  private readonly ticker = new Ticker((nowMs) => this.onTick(nowMs));
  private sessions: SessionView[] = [];
  private prompt: PromptState | undefined;
  /**
   * Sessions whose running flow the page gave up (Cancel, Get a new code): its remaining
   * events are stale and dropped, up to its final event. A restart waits for that event,
   * so the new flow never joins the one being cancelled.
   */
  private readonly abandoned = new Map<string, { restartWith?: SignInFlow | undefined }>();
  private lastListDrawMs = 0;

  /** `clock` writes times in the locale the main process gave (bridge.clockLocale), as the tray does. */
  constructor(
    private readonly bridge: LatchkeyBridge,
    private readonly clock: ClockText,
  ) {
    this.promptView = new PromptView(
      {
        open: () => this.withPrompt((s) => this.bridge.openVerificationPage(s)),
        copyCode: () => this.withPrompt((s) => this.bridge.copyUserCode(s), () => this.promptView.confirmCopied('code')),
        copyLink: () => this.withPrompt((s) => this.bridge.copyVerificationUrl(s), () => this.promptView.confirmCopied('link')),
        newCode: () => this.newCode(),
        retryNow: () => this.withPrompt((s) => this.bridge.retrySignIn(s)),
        tryAgain: () => this.restart(),
        cancel: () => this.cancel(),
        done: () => this.closePrompt(),
        close: () => this.closePrompt(),
      },
      this.announcer,
      clock,
    );
    this.sessionsView = new SessionsView(
      {
        signIn: (session) => this.signIn(session, undefined),
        showSignIn: (session) => this.signIn(session, undefined),
        signOut: (session) => this.signOut(session),
      },
      clock,
    );
    this.accounts = new AccountBrowser(bridge, this.announcer, clock);
  }

  /** `early`: events that arrived before the App existed, handled first, in order. */
  async start(early: readonly BridgeEvent[]): Promise<void> {
    this.bridge.onEvent((event) => this.onEvent(event));
    for (const event of early) this.onEvent(event);
    document.addEventListener('keydown', (event) => this.onKey(event));
    this.ticker.start();
    void this.accounts.loadRecent();
    try {
      this.drawSessions(await this.bridge.listSessions());
    } catch (error) {
      this.sessionsView.showMessage(`Couldn’t read the sessions: ${errorText(error)}`);
    }
  }

  private onEvent(event: BridgeEvent): void {
    switch (event.type) {
      case 'sessions-changed':
        this.drawSessions(event.sessions);
        return;
      case 'show-prompt':
        if (this.prompt?.session !== event.session || SETTLED_PHASES.has(this.prompt.phase)) this.openPrompt(startingPrompt(event.session));
        else this.openPrompt(this.prompt);
        return;
      case 'session-event':
        this.onSessionEvent(event.event);
        return;
      case 'recent-roles-changed':
        this.accounts.setRecent(event.recent);
        return;
      case 'focus-account-search':
        // The tray's "Open console…": a prompt in front steps aside (its sign-in goes on).
        if (this.prompt) this.closePrompt();
        this.accounts.focusSearch();
        return;
    }
  }

  private onSessionEvent(event: SessionEvent): void {
    const abandoned = this.abandoned.get(event.session);
    if (abandoned) {
      if (event.type !== 'signed-in' && event.type !== 'sign-in-failed') return;
      this.abandoned.delete(event.session);
      if (event.type === 'sign-in-failed' && abandoned.restartWith !== undefined && this.prompt?.session === event.session) {
        this.startFlow(event.session, abandoned.restartWith);
        return;
      }
      if (event.type === 'sign-in-failed') return;
    }
    if (!this.prompt || this.prompt.session !== event.session) return;
    this.prompt = nextPromptState(this.prompt, event);
    if (this.prompt.phase === 'cancelled') this.closePrompt();
    else this.drawPrompt();
  }

  private signIn(session: string, flow: SignInFlow | undefined): void {
    this.openPrompt(startingPrompt(session, flow));
    this.startFlow(session, flow);
  }

  private startFlow(session: string, flow: SignInFlow | undefined): void {
    this.prompt = startingPrompt(session, flow);
    this.drawPrompt();
    this.bridge.startSignIn(session, flow).catch((error: unknown) => {
      if (this.prompt?.session !== session) return;
      this.prompt = { ...this.prompt, phase: 'failed', failure: { code: 'usage_error', message: errorText(error) } };
      this.drawPrompt();
    });
  }

  /** Try again and Get a new code after the flow has ended: same flow, fresh code. */
  private restart(): void {
    if (this.prompt) this.startFlow(this.prompt.session, this.prompt.flow);
  }

  /** Get a new code: while the old code still runs, it is cancelled first. */
  private newCode(): void {
    const prompt = this.prompt;
    if (!prompt) return;
    if (prompt.phase !== 'waiting' && prompt.phase !== 'network-trouble') {
      this.restart();
      return;
    }
    this.abandoned.set(prompt.session, { restartWith: prompt.flow });
    this.prompt = startingPrompt(prompt.session, prompt.flow);
    this.drawPrompt();
    this.bridge.cancelSignIn(prompt.session).catch((error: unknown) => {
      this.abandoned.delete(prompt.session);
      this.promptView.showError(errorText(error));
    });
  }

  private cancel(): void {
    const prompt = this.prompt;
    if (!prompt) return;
    this.abandoned.set(prompt.session, {});
    this.closePrompt();
    this.bridge.cancelSignIn(prompt.session).catch((error: unknown) => {
      this.abandoned.delete(prompt.session);
      this.sessionsView.showMessage(errorText(error));
    });
  }

  private signOut(session: string): void {
    this.bridge.signOut(session).then(
      (outcome) => {
        if (!outcome.awsTold) this.sessionsView.showMessage(awsNotToldSentence(session, this.clock.time(outcome.tokenValidUntilMs, Date.now())));
      },
      (error: unknown) => this.sessionsView.showMessage(errorText(error)),
    );
  }

  private withPrompt(action: (session: string) => Promise<void>, confirm?: () => void): void {
    const session = this.prompt?.session;
    if (!session) return;
    this.promptView.showError(undefined);
    action(session).then(confirm, (error: unknown) => this.promptView.showError(errorText(error)));
  }

  private openPrompt(prompt: PromptState): void {
    this.prompt = prompt;
    this.sessionsView.showMessage(undefined);
    this.sessionsView.setVisible(false);
    this.promptView.setVisible(true);
    this.drawPrompt();
    this.promptView.focusHeading();
  }

  private closePrompt(): void {
    this.prompt = undefined;
    this.promptView.setVisible(false);
    this.sessionsView.setVisible(true);
    this.sessionsView.render(this.sessions, Date.now());
    this.sessionsView.focusHeading();
  }

  private drawPrompt(): void {
    if (!this.prompt) return;
    const session = this.sessions.find((known) => known.name === this.prompt?.session);
    this.promptView.render(this.prompt, session, Date.now());
  }

  private drawSessions(sessions: SessionView[]): void {
    this.sessions = sessions;
    this.lastListDrawMs = Date.now();
    this.sessionsView.render(sessions, this.lastListDrawMs);
    this.accounts.setSessions(sessions);
    if (this.prompt) this.drawPrompt();
  }

  private onTick(nowMs: number): void {
    if (this.promptView.visible) this.promptView.tick(nowMs);
    else if (nowMs - this.lastListDrawMs >= LIST_REDRAW_MS) this.drawSessions(this.sessions);
  }

  /** Enter runs the state's primary action, Esc cancels or closes (UX.md, Accessibility). */
  private onKey(event: KeyboardEvent): void {
    if (!this.promptView.visible || event.defaultPrevented || event.isComposing) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      this.promptView.escapeAction()();
      return;
    }
    if (event.key === 'Enter' && !activatesItself(event.target)) {
      const primary = this.promptView.primaryAction();
      if (!primary) return;
      event.preventDefault();
      primary();
    }
  }
}

/** Buttons, links and summaries already act on Enter; the shortcut must not double them. */
function activatesItself(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button, a[href], summary, input, textarea, select') !== null;
}
