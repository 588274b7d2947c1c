import type { Clock } from '../../../../main/core/clock';

/** A clock whose sleeps return at once and move time forward, recording each wait. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(private currentMs = 1_700_000_000_000) {}

  nowMs(): number {
    return this.currentMs;
  }

  advance(ms: number): void {
    this.currentMs += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.currentMs += ms;
  }
}

/** A random source that always returns `value`, so full-jitter delays are predictable. */
export function fixedRandom(value: number): () => number {
  return function random(): number {
    return value;
  };
}
