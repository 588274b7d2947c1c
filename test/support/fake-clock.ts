import type { Clock } from '../../main/core/clock';

interface Sleeper {
  wakeAtMs: number;
  resolve: () => void;
}

/**
 * A Clock for tests. In auto-advance mode every sleep jumps time forward at once (on a
 * microtask), so a polling loop runs through minutes of waiting instantly; otherwise
 * time moves only through `advance`. `sleeps` records every requested wait.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private now: number;
  private readonly autoAdvance: boolean;
  private sleepers: Sleeper[] = [];

  constructor(options: { startMs?: number; autoAdvance?: boolean } = {}) {
    this.now = options.startMs ?? Date.UTC(2026, 0, 1);
    this.autoAdvance = options.autoAdvance ?? false;
  }

  nowMs(): number {
    return this.now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.sleeps.push(ms);
    if (this.autoAdvance) {
      this.now += ms;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = { wakeAtMs: this.now + ms, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /**
   * Moves time forward, waking every sleeper that falls due, in order. In auto-advance
   * mode nobody sleeps, so time moves at once (code under test may advance it itself).
   */
  async advance(ms: number): Promise<void> {
    if (this.autoAdvance) {
      this.now += ms;
      return;
    }
    await flushMicrotasks();
    const target = this.now + ms;
    for (;;) {
      const due = this.sleepers.filter((s) => s.wakeAtMs <= target).sort((a, b) => a.wakeAtMs - b.wakeAtMs)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      this.now = due.wakeAtMs;
      due.resolve();
      await flushMicrotasks();
    }
    this.now = target;
    await flushMicrotasks();
  }

  /**
   * Moves the wall clock by `ms` (either way) while sleeps keep their own time, as Node's
   * timers run on the monotonic clock: a clock set forward or back, or (forward) a laptop
   * asleep for `ms`, during which no timer fires. Nobody wakes; every sleep ends as much
   * later on this clock as it moved.
   */
  async jumpWallClock(ms: number): Promise<void> {
    await flushMicrotasks();
    this.now += ms;
    for (const sleeper of this.sleepers) sleeper.wakeAtMs += ms;
    await flushMicrotasks();
  }

  get pendingSleeps(): number {
    return this.sleepers.length;
  }
}

/** Lets promise chains started by a wake-up run before the test continues. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}
