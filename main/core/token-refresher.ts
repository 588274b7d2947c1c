import type { Clock } from './clock';
import { isLatchkeyError } from './errors';
import type { Disposable } from './lifecycle';
import type { Logger } from './logger';
import type { SessionTokens } from './session-tokens';
import type { SsoSessionSettings } from './sso-session-settings';
import { sleepUnlessWoken, Wakeup } from './wakeup';
import { REFRESH_RETRY_BASE_MS, REFRESH_RETRY_MAX_MS, TOKEN_REFRESH_MIN_INTERVAL_MS, WALL_CLOCK_RECHECK_MS } from './time-windows';

/**
 * Renews each watched session's access token before it expires (when refreshDueAtMs
 * says), so no tool ever waits on a refresh. Retries with backoff when AWS cannot be
 * reached; stops for good when the session is signed out (a rejected refresh token
 * never loops).
 */
export class TokenRefresher implements Disposable {
  private readonly loops = new Map<string, AbortController>();
  private readonly woken = new Wakeup();

  constructor(
    private readonly tokens: SessionTokens,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Keeps the session fresh from now on; a no-op when it is already watched. */
  watch(session: SsoSessionSettings): void {
    if (this.loops.has(session.name)) return;
    const controller = new AbortController();
    this.loops.set(session.name, controller);
    void this.run(session, controller.signal).finally(() => {
      if (this.loops.get(session.name) === controller) this.loops.delete(session.name);
    });
  }

  unwatch(session: string): void {
    this.loops.get(session)?.abort();
    this.loops.delete(session);
  }

  /**
   * The system woke from sleep (or says its clock changed): every loop reads the wall
   * clock again now, and refreshes at once what fell due, instead of within
   * WALL_CLOCK_RECHECK_MS.
   */
  wake(): void {
    this.woken.fire();
  }

  isWatching(session: string): boolean {
    return this.loops.has(session);
  }

  dispose(): void {
    for (const controller of this.loops.values()) controller.abort();
    this.loops.clear();
  }

  private async run(session: SsoSessionSettings, signal: AbortSignal): Promise<void> {
    let failures = 0;
    // A refresh that renews nothing (the registration has run out, the token is served
    // until it expires) leaves the refresh due; without this it would be tried at once again.
    let nextTryAtMs = 0;
    while (!signal.aborted) {
      const status = await this.tokens.status(session.name);
      if (!status.signedIn || !status.refreshable || status.refreshDueAtMs === undefined) return;
      const dueAtMs =
        failures === 0
          ? Math.max(status.refreshDueAtMs, nextTryAtMs)
          : this.clock.nowMs() + Math.min(REFRESH_RETRY_BASE_MS * 2 ** (failures - 1), REFRESH_RETRY_MAX_MS);
      if (!(await this.sleepUntil(dueAtMs, signal))) return;
      if (signal.aborted) return;
      nextTryAtMs = this.clock.nowMs() + TOKEN_REFRESH_MIN_INTERVAL_MS;
      try {
        await this.tokens.refresh(session);
        failures = 0;
      } catch (error) {
        if (isLatchkeyError(error, 'signed_out')) return;
        failures += 1;
        this.logger.warn('Background token refresh failed; will retry', {
          session: session.name,
          code: isLatchkeyError(error) ? error.code : 'internal_error',
          failures,
        });
      }
    }
  }

  /**
   * Sleeps until the wall clock reads `atMs`, in pieces of WALL_CLOCK_RECHECK_MS at most,
   * so a clock set forward or a laptop waking from sleep is noticed within one piece (at
   * once, when wake() says so).
   * False when stopped.
   */
  private async sleepUntil(atMs: number, signal: AbortSignal): Promise<boolean> {
    for (let remainingMs = atMs - this.clock.nowMs(); remainingMs > 0; remainingMs = atMs - this.clock.nowMs()) {
      if ((await sleepUnlessWoken(this.clock, Math.min(remainingMs, WALL_CLOCK_RECHECK_MS), this.woken, signal)) === 'stopped') return false;
    }
    return !signal.aborted;
  }
}
