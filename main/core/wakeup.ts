/**
 * A person's "retry now": wakes whoever waits on it. A flow waiting out a backoff races
 * its sleep against `next()`; the signal ends that wait without a wake-up.
 */
export class Wakeup {
  private waiters = new Set<() => void>();

  next(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return;
      const wake = (): void => {
        signal.removeEventListener('abort', forget);
        resolve();
      };
      const forget = (): void => void this.waiters.delete(wake);
      this.waiters.add(wake);
      signal.addEventListener('abort', forget, { once: true });
    });
  }

  fire(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  get waiting(): number {
    return this.waiters.size;
  }
}
