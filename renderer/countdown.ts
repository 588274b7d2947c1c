/**
 * Points at which the countdown speaks. A screen reader hearing every second could not
 * hear anything else (UX.md: announced at 5 minutes, 1 minute and 0).
 */
const ANNOUNCE_AT_MS = [5 * 60_000, 60_000, 0] as const;

/** The announcement point passed between two readings, if any. */
export function crossedAnnouncement(previousRemainingMs: number, remainingMs: number): number | undefined {
  return ANNOUNCE_AT_MS.find((point) => previousRemainingMs > point && remainingMs <= point);
}

/** Calls `onTick` once a second, on the second, until disposed. */
export class Ticker {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly onTick: (nowMs: number) => void) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    // Aligned to the wall-clock second so "9:41" never shows for two seconds and skips one.
    const delayMs = 1000 - (Date.now() % 1000) + 5;
    this.timer = setTimeout(() => {
      this.onTick(Date.now());
      if (this.timer !== undefined) this.schedule();
    }, delayMs);
  }
}
