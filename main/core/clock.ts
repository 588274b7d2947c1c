import { LONGEST_TIMER_MS } from './time-windows';

/** Time comes through this seam so that polling and refresh tests run on a fake clock. */
export interface Clock {
  nowMs(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface SystemClockOptions {
  /** Longest delay handed to one timer; tests make it short. */
  longestTimerMs?: number;
}

/**
 * The real clock. A sleep longer than one timer can hold is taken in steps, so that every
 * caller waits the full delay however long the service's lifetimes and intervals are.
 */
export function createSystemClock(options: SystemClockOptions = {}): Clock {
  const longestTimerMs = options.longestTimerMs ?? LONGEST_TIMER_MS;
  return {
    nowMs(): number {
      return Date.now();
    },
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      return sleepInSteps(ms, longestTimerMs, signal);
    },
  };
}

export const systemClock: Clock = createSystemClock();

function sleepInSteps(ms: number, longestTimerMs: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let remainingMs = ms;
    let timer = setTimeout(step, nextStepMs());
    signal?.addEventListener('abort', onAbort, { once: true });
    function nextStepMs(): number {
      const stepMs = Math.min(remainingMs, longestTimerMs);
      remainingMs -= stepMs;
      return stepMs;
    }
    function step(): void {
      if (remainingMs > 0) {
        timer = setTimeout(step, nextStepMs());
        return;
      }
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal?.reason);
    }
  });
}
