import type { AgentEvent } from '../agent/agent-event';
import type { Logger } from '../core/logger';
import type { NoticeDecision, NotificationPolicy } from '../core/notification-policy';

export interface AgentEventHandlerOptions {
  /** Reads the AWS config again, so a session added since launch is known. */
  reloadSessions: () => Promise<void>;
  controller: { startedHere(session: string): boolean; markNeedsAttention(session: string): void };
  policy: Pick<NotificationPolicy, 'needsSignIn' | 'signInFinished'>;
  notifications: { apply(decision: NoticeDecision): void };
  window: { isWatching(): boolean; isVisible(): boolean };
  /** Draws the tray again from the sessions' state. */
  updateTray: () => Promise<void>;
  logger: Logger;
}

/**
 * What the desktop app does with the agent's events. The window never comes forward for
 * them: a sign-in the window or the tray started has shown it already, and one started
 * elsewhere (`latchkey login` in a terminal, another caller of the socket) belongs to
 * whoever started it. The terminal shows the code and opens the browser itself; the
 * window taking focus would pull the person away from it (issue 10). The tray shows the
 * sign-in, and its end is not announced again in a notification, because the terminal
 * says it.
 */
export class AgentEventHandler {
  /** Sessions whose sign-in in flight was started elsewhere than the window or the tray. */
  private readonly startedElsewhere = new Set<string>();

  constructor(private readonly options: AgentEventHandlerOptions) {}

  handle(event: AgentEvent): void {
    const { controller, notifications, policy, window } = this.options;
    switch (event.type) {
      case 'needs-sign-in':
        this.options
          .reloadSessions()
          .then(() => {
            controller.markNeedsAttention(event.session);
            notifications.apply(policy.needsSignIn(event.session, window.isWatching(), event.profile));
          })
          .catch((error: unknown) => this.logFailure('needs-sign-in', error));
        return;
      case 'sign-in-progress':
        // The first prompt of a sign-in (its code, or its browser step) says who runs it.
        if ((event.progress.type === 'code-issued' || event.progress.type === 'browser-opening') && !controller.startedHere(event.session)) {
          this.startedElsewhere.add(event.session);
          this.options.updateTray().catch((error: unknown) => this.logFailure('tray', error));
        }
        return;
      case 'signed-in': {
        const outcome = { ok: true, accessTokenExpiresAtMs: event.accessTokenExpiresAtMs, refreshable: event.refreshable } as const;
        notifications.apply(policy.signInFinished(event.session, outcome, this.seenEnding(event.session)));
        return;
      }
      case 'sign-in-failed':
        if (event.code === 'cancelled') this.startedElsewhere.delete(event.session);
        else notifications.apply(policy.signInFinished(event.session, { ok: false }, this.seenEnding(event.session)));
        return;
      case 'signed-out':
        this.startedElsewhere.delete(event.session);
        return;
      case 'refreshed':
        return;
    }
  }

  /** Whether the person saw the sign-in end: in the terminal that ran it, or in the window. */
  private seenEnding(session: string): boolean {
    const elsewhere = this.startedElsewhere.delete(session);
    return elsewhere || this.options.window.isVisible();
  }

  private logFailure(what: string, error: unknown): void {
    this.options.logger.warn(`Desktop ${what} failed`, { message: error instanceof Error ? error.message : String(error) });
  }
}
