import type { Clock } from '../../main/core/clock';

interface Sleeper {
  wakeAtMs: number;
  /** How long the sleep was asked to be. */
  ms: number;
  resolve: () => void;
}

/**
 * Real time plus an offset that `advance` grows: for tests where Latchkey shares a clock
 * with programs that read the real one (an SDK in a child process), and time must also
 * jump forward (to a refresh due in 40 minutes). Sleeps end when their time comes, by
 * the real clock or by an advance, whichever is first.
 */
export class ShiftedClock implements Clock {
  private offsetMs = 0;
  private readonly sleepers = new Set<Sleeper>();

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** How far this clock is ahead of the real one. */
  get aheadMs(): number {
    return this.offsetMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => wake(), Math.min(Math.max(0, ms), 2 ** 31 - 1));
      const sleeper: Sleeper = { wakeAtMs: this.nowMs() + ms, ms, resolve: () => wake() };
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(sleeper);
        resolve();
      };
      this.sleepers.add(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          this.sleepers.delete(sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /**
   * Moves time forward to the end of the first pending sleep that was asked to last
   * between `minMs` and `maxMs`, so that one kind of wait (a backoff) passes at once while
   * shorter and longer ones keep their own time; false when there is none.
   */
  skipSleepBetween(minMs: number, maxMs: number): boolean {
    const wakeAtMs = Math.min(...[...this.sleepers].filter((sleeper) => sleeper.ms >= minMs && sleeper.ms <= maxMs).map((sleeper) => sleeper.wakeAtMs));
    if (!Number.isFinite(wakeAtMs)) return false;
    this.advance(Math.max(0, wakeAtMs - this.nowMs()));
    return true;
  }

  /** Moves time forward, ending every sleep that falls due. */
  advance(ms: number): void {
    this.offsetMs += ms;
    const now = this.nowMs();
    for (const sleeper of [...this.sleepers]) if (sleeper.wakeAtMs <= now) sleeper.resolve();
  }
}
