import { Notification } from 'electron';
import type { Disposable } from '../core/lifecycle';
import type { Notice, NoticeDecision } from '../core/notification-policy';

export interface NotificationsOptions {
  /** The person clicked the notification or its Sign in action. */
  onActivate: (notice: Notice) => void;
  /** The notification went away (clicked, dismissed, or replaced by the OS). */
  onClosed: () => void;
}

/**
 * Shows what NotificationPolicy decides, one notification at a time: a new one replaces
 * the old (closing it first), so several sessions never stack. Showing a notification
 * never touches the window, so a background event never takes focus; only a click does.
 */
export class Notifications implements Disposable {
  private current: Notification | undefined;

  constructor(private readonly options: NotificationsOptions) {}

  apply(decision: NoticeDecision): void {
    if (decision.kind === 'none') return;
    this.closeCurrent();
    if (decision.kind === 'close' || !Notification.isSupported()) return;
    const { notice } = decision;
    const notification = new Notification({
      title: notice.title,
      body: notice.body,
      silent: false,
      // The Sign in button shows on macOS (signed builds) and Windows; elsewhere a click does the same.
      ...(notice.signInSession !== undefined ? { actions: [{ type: 'button' as const, text: 'Sign in' }] } : {}),
    });
    const activate = (): void => {
      if (this.current === notification) this.current = undefined;
      this.options.onActivate(notice);
    };
    notification.on('click', activate);
    notification.on('action', activate);
    notification.on('close', () => {
      if (this.current !== notification) return;
      this.current = undefined;
      this.options.onClosed();
    });
    this.current = notification;
    notification.show();
  }

  dispose(): void {
    this.closeCurrent();
  }

  private closeCurrent(): void {
    const previous = this.current;
    this.current = undefined;
    previous?.close();
  }
}
