import type { BridgeEvent, SessionView, SignOutView } from '../core/bridge';
import type { Clock } from '../core/clock';
import { commandDialectFor } from '../core/credential-process-command';
import { credentialProcessLines } from '../core/credential-process-lines';
import { DisposableStore, toDisposable, type Disposable } from '../core/lifecycle';
import type { Logger } from '../core/logger';
import { LONGEST_TIMER_MS } from '../core/time-windows';
import { printable } from '../core/printable-text';
import type { NotificationPolicy, NoticeDecision } from '../core/notification-policy';
import type { RecentRoleView, RoleRef } from '../core/role-actions';
import type { PanelTheme } from '../core/tray-icon-files';
import { awsNotToldNotice } from '../core/sign-out-notice';
import { buildTrayModel, trayActionFailedNotice, type TrayAction, type TrayRoleChoice } from '../core/tray-model';
import { TrayController } from './tray-controller';

/** The controller calls the tray makes (SessionsController has them all). */
export interface TraySessions {
  listSessions(): Promise<SessionView[]>;
  cancelSignIn(session: string): Promise<void>;
  signOut(session: string): Promise<SignOutView>;
  recentRoles(): Promise<RecentRoleView[]>;
  openConsole(role: RoleRef): Promise<void>;
  /** Asks the window's page to show the account browser with its search focused. */
  focusAccountSearch(): void;
  onEvent(listener: (event: BridgeEvent) => void): Disposable;
}

export interface TrayPresenterOptions {
  iconDir: string;
  platform: NodeJS.Platform;
  /** Windows only: the taskbar's theme, which picks the icon variant. */
  readTaskbarTheme: () => Promise<PanelTheme>;
  clock: Clock;
  /** Clock times in the OS locale, as the window and notifications write them. */
  formatTime: (epochMs: number, nowMs: number) => string;
  controller: TraySessions;
  loginItems: { isEnabled(): Promise<boolean>; setEnabled(enabled: boolean): Promise<void> };
  policy: NotificationPolicy;
  notifications: { apply(decision: NoticeDecision): void };
  window: { show(): Promise<void>; isWatching(): boolean };
  listRoles: (session: string) => Promise<TrayRoleChoice[]>;
  /** Brings the prompt of `session` forward; `start` begins a sign-in first. */
  showPrompt: (session: string, start: boolean) => Promise<void>;
  reloadSessions: () => Promise<void>;
  writeClipboard: (text: string) => void;
  /** The words that run this app's `latchkey` (latchkey-command.ts), for the copied credential_process line. */
  latchkeyCommand: readonly string[];
  quit: () => void;
  logger: Logger;
}

/**
 * Keeps the tray and the "session ends soon" notification in step with the sessions:
 * recomputes the model on every `sessions-changed` and `recent-roles-changed` event
 * (TrayController skips equal models), lists roles for signed-in sessions once, and maps
 * menu clicks to calls.
 */
export class TrayPresenter implements Disposable {
  private readonly tray: TrayController;
  private readonly disposables = new DisposableStore();
  private readonly roles = new Map<string, readonly TrayRoleChoice[] | 'unavailable'>();
  private readonly listing = new Set<string>();
  private sessions: SessionView[] = [];
  private recent: readonly RecentRoleView[] = [];
  /** Counts `recent-roles-changed` events, so a read that started before one cannot undo it. */
  private recentChanges = 0;
  private wakeTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private renders = 0;

  constructor(private readonly options: TrayPresenterOptions) {
    this.tray = this.disposables.add(
      new TrayController({
        iconDir: options.iconDir,
        platform: options.platform,
        readTaskbarTheme: options.readTaskbarTheme,
        onAction: (action) => this.run(action),
        onClick: () => void options.window.show(),
      }),
    );
    this.disposables.add(
      options.controller.onEvent((event) => {
        if (event.type === 'sessions-changed') void this.render(event.sessions);
        if (event.type === 'recent-roles-changed') {
          this.recent = event.recent;
          this.recentChanges++;
          void this.render(this.sessions);
        }
      }),
    );
    this.disposables.add(toDisposable(() => this.clearWake()));
  }

  /** Reads the sessions, the recent roles and the login-item state again and redraws if anything changed. */
  async update(): Promise<void> {
    const changes = this.recentChanges;
    const [sessions, recent] = await Promise.all([this.options.controller.listSessions(), this.readRecent()]);
    if (changes === this.recentChanges) this.recent = recent;
    await this.render(sessions);
  }

  dispose(): Promise<void> {
    this.disposed = true;
    return this.disposables.dispose();
  }

  private async render(sessions: SessionView[]): Promise<void> {
    if (this.disposed) return;
    const render = ++this.renders;
    this.sessions = sessions;
    for (const session of sessions) {
      if (session.state !== 'signed-in') this.roles.delete(session.name);
      else if (!this.roles.has(session.name)) this.loadRoles(session.name);
    }
    const startAtLogin = await this.options.loginItems.isEnabled().catch(() => false);
    // A newer list arrived while the OS was asked: drawing this one would go back in time.
    if (this.disposed || render !== this.renders) return;
    const { clock, policy, notifications, window } = this.options;
    this.tray.render(
      buildTrayModel({ sessions, nowMs: clock.nowMs(), startAtLogin, roles: this.roles, recent: this.recent, formatTime: this.options.formatTime }),
    );
    notifications.apply(policy.sessionsChanged(sessions, window.isWatching()));
    this.armWake();
  }

  /** Wakes when a session without a refresh token enters its last 15 minutes. */
  private armWake(): void {
    this.clearWake();
    const at = this.options.policy.nextCheckAtMs(this.sessions);
    if (at === undefined) return;
    const delay = Math.min(Math.max(0, at - this.options.clock.nowMs()), LONGEST_TIMER_MS);
    this.wakeTimer = setTimeout(() => void this.update(), delay);
  }

  private clearWake(): void {
    if (this.wakeTimer !== undefined) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
  }

  /** A failed read keeps the list shown: the rest of the menu matters more than this group. */
  private async readRecent(): Promise<readonly RecentRoleView[]> {
    try {
      return await this.options.controller.recentRoles();
    } catch (error: unknown) {
      this.options.logger.warn('Tray could not read the recent roles', { message: error instanceof Error ? error.message : String(error) });
      return this.recent;
    }
  }

  private loadRoles(session: string): void {
    if (this.listing.has(session)) return;
    this.listing.add(session);
    this.options
      .listRoles(session)
      .then((roles) => {
        if (this.sessions.some((s) => s.name === session && s.state === 'signed-in')) this.roles.set(session, roles);
      })
      .catch((error: unknown) => {
        // Not retried by itself (a broken network would loop); the session's Refresh item tries again.
        this.roles.set(session, 'unavailable');
        this.fail('list-roles', session, error);
      })
      .finally(() => {
        this.listing.delete(session);
        void this.render(this.sessions);
      });
  }

  private run(action: TrayAction): void {
    this.perform(action).catch((error: unknown) => this.fail(action.kind, 'session' in action ? action.session : undefined, error));
  }

  private async perform(action: TrayAction): Promise<void> {
    const { options } = this;
    switch (action.kind) {
      case 'sign-in':
        return options.showPrompt(action.session, true);
      case 'show-sign-in':
        return options.showPrompt(action.session, false);
      case 'cancel-sign-in':
        return options.controller.cancelSignIn(action.session);
      case 'sign-out': {
        const outcome = await options.controller.signOut(action.session);
        if (!outcome.awsTold) options.notifications.apply({ kind: 'show', notice: awsNotToldNotice(action.session, options.formatTime(outcome.tokenValidUntilMs, options.clock.nowMs())) });
        return;
      }
      case 'refresh':
        // Re-reads the config and the session's accounts and roles; the engine keeps the token fresh by itself.
        this.roles.delete(action.session);
        await options.reloadSessions();
        return this.update();
      case 'copy-credential-process':
        return options.writeClipboard(
          credentialProcessLines({
            latchkeyCommand: options.latchkeyCommand,
            session: action.session,
            accountId: action.accountId,
            roleName: action.roleName,
            region: this.sessions.find((session) => session.name === action.session)?.region,
            dialect: commandDialectFor(options.platform),
          }),
        );
      case 'open-console':
        return options.controller.openConsole({ session: action.session, accountId: action.accountId, roleName: action.roleName });
      case 'open-window':
        await options.reloadSessions();
        return options.window.show();
      case 'open-console-search':
        // After show: a window opened just now has a page listening for the event only once loaded.
        await options.window.show();
        return options.controller.focusAccountSearch();
      case 'toggle-start-at-login': {
        const enabled = await options.loginItems.isEnabled();
        try {
          await options.loginItems.setEnabled(!enabled);
        } finally {
          this.tray.forgetMenu();
          await this.update();
        }
        return;
      }
      case 'quit':
        return options.quit();
    }
  }

  /** Logged, and told: a click that silently does nothing reads as a broken app. */
  private fail(kind: TrayAction['kind'] | 'list-roles', session: string | undefined, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.options.logger.warn(`Tray action failed: ${kind}`, { message });
    this.options.notifications.apply({ kind: 'show', notice: trayActionFailedNotice(kind, session, printable(message)) });
  }
}
