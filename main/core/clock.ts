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
  /** The wall clock; default Date.now. Tests set it back. */
  wallMs?: () => number;
  /** A clock that only moves forward and ignores the wall clock; default performance.now. */
  monotonicMs?: () => number;
}

/**
 * The real clock. Its time never runs backwards: a wall clock set back is not followed,
 * and time goes on from the latest reading by the monotonic clock, so a token or
 * credentials are never judged to have more life than they were given (a clock set back
 * two hours would otherwise serve an hour-old token as fresh until AWS refused it, and
 * the refusal signs the session out). A wall clock set forward, or a laptop waking from
 * sleep (the monotonic clock stands still meanwhile), is followed at once. A backward
 * correction of a clock that ran ahead is thus only taken after a restart: until then
 * lifetimes are judged early, never late.
 *
 * A sleep longer than one timer can hold is taken in steps, so that every caller waits
 * the full delay however long the service's lifetimes and intervals are.
 */
export function createSystemClock(options: SystemClockOptions = {}): Clock {
  const longestTimerMs = options.longestTimerMs ?? LONGEST_TIMER_MS;
  const wallMs = options.wallMs ?? Date.now;
  const monotonicMs = options.monotonicMs ?? (() => performance.now());
  let latestMs = wallMs();
  let latestMonotonicMs = monotonicMs();
  return {
    nowMs(): number {
      const monotonic = monotonicMs();
      latestMs = Math.max(wallMs(), latestMs + (monotonic - latestMonotonicMs));
      latestMonotonicMs = monotonic;
      return Math.floor(latestMs);
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
