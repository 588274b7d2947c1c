import type { Clock } from '../core/clock';
import type { Emitter } from '../core/emitter';
import { NEEDS_SIGN_IN_NOTICE_INTERVAL_MS } from '../core/time-windows';
import type { AgentEvent } from './agent-event';

/**
 * Raises `needs-sign-in` for a session a background tool asked for while it was signed
 * out, at most once per session per NEEDS_SIGN_IN_NOTICE_INTERVAL_MS: Terraform asks
 * dozens of times in a second, and the desktop app should show one notification.
 */
export class NeedsSignInNotice {
  private readonly lastNoticeMs = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly events: Emitter<AgentEvent>,
  ) {}

  /** Fires the event unless it fired for this session recently; returns whether it fired. */
  notify(session: string, profile?: string): boolean {
    const now = this.clock.nowMs();
    const last = this.lastNoticeMs.get(session);
    if (last !== undefined && now - last < NEEDS_SIGN_IN_NOTICE_INTERVAL_MS) return false;
    this.lastNoticeMs.set(session, now);
    this.events.fire({ type: 'needs-sign-in', session, ...(profile === undefined ? {} : { profile }) });
    return true;
  }

  /** A finished sign-in clears the window: the next time the session is signed out is news again. */
  forget(session: string): void {
    this.lastNoticeMs.delete(session);
  }
}
