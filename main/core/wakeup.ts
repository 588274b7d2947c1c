import type { Clock } from './clock';

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

/**
 * Sleeps `ms` on `clock`, ended early by `wakeup` firing (`woken`) or by `signal`
 * (`stopped`): the backoff of a flow a person may cut short, and the refresher's pieces
 * of sleep the system's wake from sleep cuts short.
 */
export async function sleepUnlessWoken(clock: Clock, ms: number, wakeup: Wakeup, signal?: AbortSignal): Promise<'slept' | 'woken' | 'stopped'> {
  const stopped = (): boolean => signal?.aborted === true;
  if (stopped()) return 'stopped';
  const sleeping = new AbortController();
  const stop = (): void => sleeping.abort();
  signal?.addEventListener('abort', stop, { once: true });
  void wakeup.next(sleeping.signal).then(stop);
  try {
    await clock.sleep(ms, sleeping.signal);
    return 'slept';
  } catch {
    return stopped() ? 'stopped' : 'woken';
  } finally {
    signal?.removeEventListener('abort', stop);
    sleeping.abort();
  }
}
