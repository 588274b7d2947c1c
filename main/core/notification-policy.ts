import type { SessionView } from './bridge';
import type { Clock } from './clock';
import { NEEDS_SIGN_IN_NOTICE_INTERVAL_MS, SESSION_ENDING_NOTICE_MS } from './time-windows';

/** One desktop notification: what it says and what a click on it does. */
export interface Notice {
  title: string;
  body: string;
  /** Every session the notice is about, in the order they arrived. */
  sessions: string[];
  /** Set when exactly one session needs signing in: the click (or Sign in action) starts it. */
  signInSession?: string;
}

/** What the adapter should do: show (replacing whatever Latchkey showed before), close it, or nothing. */
export type NoticeDecision = { kind: 'show'; notice: Notice } | { kind: 'close' } | { kind: 'none' };

type Reason =
  | { kind: 'needs-sign-in'; session: string; profile?: string }
  | { kind: 'ending'; session: string; endsAtMs: number }
  | { kind: 'signed-in'; session: string; untilMs?: number; refreshable?: boolean }
  | { kind: 'sign-in-failed'; session: string };

const NONE: NoticeDecision = { kind: 'none' };

/**
 * Decides which notifications the desktop app shows (UX.md "Notifications"): only for
 * what happened in the background, never on launch, never for routine refreshes, never
 * for what the person is looking at. One notification at a time: a new reason joins the
 * ones still on screen and the adapter replaces the old notification with the merged one,
 * so three sessions needing a sign-in make one notification, not a stack of three.
 *
 * `watching` is true while the status window is visible and focused: whatever happens
 * then is already on screen.
 */
export class NotificationPolicy {
  private readonly lastNeedsSignInMs = new Map<string, number>();
  /** Sessions already told about (or already ending at launch), keyed by their end time. */
  private readonly endingNoticed = new Map<string, number>();
  private onScreen: Reason[] = [];
  private sawFirstSnapshot = false;
  private readonly formatTime: (epochMs: number, nowMs: number) => string;

  /** `formatTime`: clock times in the OS locale, as the tray and the window show them (ClockText.time). */
  constructor(
    private readonly clock: Clock,
    options: { formatTime: (epochMs: number, nowMs: number) => string },
  ) {
    this.formatTime = options.formatTime;
  }

  /** A background tool asked for a signed-out session. At most once per session per 15 minutes. */
  needsSignIn(session: string, watching: boolean, profile?: string): NoticeDecision {
    const now = this.clock.nowMs();
    const last = this.lastNeedsSignInMs.get(session);
    if (last !== undefined && now - last < NEEDS_SIGN_IN_NOTICE_INTERVAL_MS) return NONE;
    this.lastNeedsSignInMs.set(session, now);
    if (watching) return NONE;
    return this.add({ kind: 'needs-sign-in', session, ...(profile === undefined ? {} : { profile }) });
  }

  /** A sign-in ended. Only worth a notification when the window was not in front. */
  signInFinished(
    session: string,
    outcome: { ok: true; accessTokenExpiresAtMs?: number; refreshable?: boolean } | { ok: false },
    watching: boolean,
  ): NoticeDecision {
    const resolved = this.resolve(session);
    if (outcome.ok) this.lastNeedsSignInMs.delete(session);
    if (watching) return resolved;
    return this.add(
      outcome.ok
        ? {
            kind: 'signed-in',
            session,
            ...(outcome.accessTokenExpiresAtMs === undefined ? {} : { untilMs: outcome.accessTokenExpiresAtMs }),
            ...(outcome.refreshable === undefined ? {} : { refreshable: outcome.refreshable }),
          }
        : { kind: 'sign-in-failed', session },
    );
  }

  /**
   * The session list changed, or the wake-up from `nextCheckAtMs` came. Raises "ends in
   * 15 minutes" once per session and end time; the first snapshot only records what is
   * already ending, because nothing is announced on launch.
   */
  sessionsChanged(sessions: readonly SessionView[], watching: boolean): NoticeDecision {
    const now = this.clock.nowMs();
    const first = !this.sawFirstSnapshot;
    this.sawFirstSnapshot = true;
    let decision = this.dropStale(sessions);
    for (const session of sessions) {
      const endsAtMs = session.accessTokenExpiresAtMs;
      if (session.state !== 'signed-in' || session.refreshable || endsAtMs === undefined) continue;
      if (endsAtMs - now > SESSION_ENDING_NOTICE_MS || endsAtMs <= now) continue;
      if (this.endingNoticed.get(session.name) === endsAtMs) continue;
      this.endingNoticed.set(session.name, endsAtMs);
      if (first || watching) continue;
      decision = this.add({ kind: 'ending', session: session.name, endsAtMs });
    }
    return decision;
  }

  /** When to call `sessionsChanged` again so that an ending session is announced on time. */
  nextCheckAtMs(sessions: readonly SessionView[]): number | undefined {
    const now = this.clock.nowMs();
    const due = sessions
      .filter((s) => s.state === 'signed-in' && !s.refreshable && s.accessTokenExpiresAtMs !== undefined)
      .filter((s) => this.endingNoticed.get(s.name) !== s.accessTokenExpiresAtMs)
      .map((s) => (s.accessTokenExpiresAtMs as number) - SESSION_ENDING_NOTICE_MS)
      .filter((at) => at > now);
    return due.length === 0 ? undefined : Math.min(...due);
  }

  /** The person clicked or dismissed the notification: the next one starts fresh. */
  dismissed(): void {
    this.onScreen = [];
  }

  private add(reason: Reason): NoticeDecision {
    this.onScreen = [...this.onScreen.filter((r) => r.session !== reason.session), reason];
    return { kind: 'show', notice: this.compose() };
  }

  /** A session that signed in no longer needs the sign-in reminder on screen. */
  private resolve(session: string): NoticeDecision {
    const before = this.onScreen.length;
    this.onScreen = this.onScreen.filter((r) => r.session !== session || r.kind === 'signed-in');
    if (this.onScreen.length === before) return NONE;
    return this.onScreen.length === 0 ? { kind: 'close' } : { kind: 'show', notice: this.compose() };
  }

  /** Reasons whose session signed in elsewhere (the CLI, the window) leave the notification. */
  private dropStale(sessions: readonly SessionView[]): NoticeDecision {
    const state = new Map(sessions.map((s) => [s.name, s]));
    const before = this.onScreen.length;
    this.onScreen = this.onScreen.filter((r) => {
      const view = state.get(r.session);
      if (view === undefined) return false;
      if (r.kind === 'needs-sign-in') return view.state !== 'signed-in';
      if (r.kind === 'ending') return view.state === 'signed-in' && view.accessTokenExpiresAtMs === r.endsAtMs;
      return true;
    });
    if (this.onScreen.length === before) return NONE;
    return this.onScreen.length === 0 ? { kind: 'close' } : { kind: 'show', notice: this.compose() };
  }

  private compose(): Notice {
    const now = this.clock.nowMs();
    const reasons = this.onScreen;
    const needing = reasons.filter((r) => r.kind === 'needs-sign-in' || r.kind === 'ending' || r.kind === 'sign-in-failed');
    const sessions = reasons.map((r) => r.session);
    const lines = reasons.map((r) => this.line(r, now));
    const title =
      reasons.length === 1
        ? this.title(reasons[0] as Reason)
        : needing.length > 0
          ? `Sign in needed: ${joinNames(needing.map((r) => r.session))}`
          : `Signed in: ${joinNames(sessions)}`;
    return {
      title,
      body: lines.join('\n'),
      sessions,
      ...(needing.length === 1 ? { signInSession: (needing[0] as Reason).session } : {}),
    };
  }

  private title(reason: Reason): string {
    switch (reason.kind) {
      case 'needs-sign-in':
        return `Sign in to ${reason.session}`;
      case 'ending':
        return `${reason.session} ends soon`;
      case 'signed-in':
        return `Signed in to ${reason.session}`;
      case 'sign-in-failed':
        return `Sign-in to ${reason.session} did not finish`;
    }
  }

  private line(reason: Reason, now: number): string {
    switch (reason.kind) {
      case 'needs-sign-in':
        return reason.profile === undefined
          ? `A tool needs credentials for ${reason.session}.`
          : `A tool needs credentials for ${reason.session} (profile ${reason.profile}).`;
      case 'ending':
        return `${reason.session} cannot refresh and ends at ${this.formatTime(reason.endsAtMs, now)}; sign in again to keep working.`;
      case 'signed-in':
        // What a person needs to know: that nothing more is asked of them, or when it ends.
        // The credentials of a sign-in that renews end within the hour and are replaced unseen.
        if (reason.refreshable === true) return `Signed in to ${reason.session}; it renews by itself.`;
        return reason.untilMs === undefined
          ? `Signed in to ${reason.session}.`
          : `Signed in to ${reason.session}, credentials until ${this.formatTime(reason.untilMs, now)}.`;
      case 'sign-in-failed':
        return `The sign-in to ${reason.session} did not finish; nothing was issued.`;
    }
  }
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
