import type { Clock } from '../core/clock';
import type { LatchkeyErrorCode } from '../core/errors';
import type { Logger } from '../core/logger';
import type { AwsServiceError } from './aws-service-error';
import { MAX_ATTEMPTS, REQUEST_TIMEOUT_MS, RETRY_BASE_DELAY_MS, RETRY_DEADLINE_MS, RETRY_MAX_DELAY_MS } from './http-timing';

/**
 * Whether a call may be sent twice.
 * - `repeatable`: a duplicate is harmless (reads, registrations, logout).
 * - `single-use`: the request spends something the server will not accept twice (an
 *   authorization code, a rotating refresh token). It is retried only when the server
 *   answered that it did not act (429, 5xx) or the request provably never left.
 */
export type RetrySafety = 'repeatable' | 'single-use';

export interface RetryTiming {
  requestTimeoutMs: number;
  deadlineMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetrySettings extends RetryTiming {
  clock: Clock;
  /** Uniform in [0, 1); injected so that tests get the same delays every run. */
  random: () => number;
  logger: Logger;
}

export const DEFAULT_RETRY_TIMING: Readonly<RetryTiming> = {
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  deadlineMs: RETRY_DEADLINE_MS,
  maxAttempts: MAX_ATTEMPTS,
  baseDelayMs: RETRY_BASE_DELAY_MS,
  maxDelayMs: RETRY_MAX_DELAY_MS,
};

export interface AttemptFailure {
  error: AwsServiceError;
  /** False when the server cannot have acted on the request: it never arrived, or was refused. */
  mayHaveTakenEffect: boolean;
}

export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; failure: AttemptFailure };

/** Failures that can pass on their own; everything else is an answer, not a hiccup. */
const TRANSIENT_CODES: ReadonlySet<LatchkeyErrorCode> = new Set<LatchkeyErrorCode>([
  'throttled',
  'server_error',
  'network_error',
  'timeout',
  'malformed_response',
]);

/**
 * Runs `attempt` until it succeeds, fails for good, or the budget runs out: at most
 * `maxAttempts`, all within `deadlineMs`, each given the smaller of `requestTimeoutMs`
 * and what remains. Sleeps between attempts use full jitter on an exponential cap.
 */
export async function withRetries<T>(
  safety: RetrySafety,
  settings: RetrySettings,
  attempt: (attemptTimeoutMs: number) => Promise<AttemptOutcome<T>>,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = settings.clock.nowMs() + settings.deadlineMs;
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    const remainingMs = deadline - settings.clock.nowMs();
    const outcome = await attempt(Math.max(1, Math.min(settings.requestTimeoutMs, remainingMs)));
    if (outcome.ok) return outcome.value;
    const { error } = outcome.failure;
    if (attemptNumber >= settings.maxAttempts || !isWorthRetrying(outcome.failure, safety)) throw error;
    const delayMs = fullJitterDelayMs(attemptNumber, settings);
    if (settings.clock.nowMs() + delayMs >= deadline) throw error;
    settings.logger.debug('retrying IAM Identity Center call', {
      operation: error.operation,
      code: error.code,
      attempt: attemptNumber,
      delayMs,
    });
    await settings.clock.sleep(delayMs, signal);
  }
}

export function isWorthRetrying(failure: AttemptFailure, safety: RetrySafety): boolean {
  const { error } = failure;
  if (!error.retryable || !TRANSIENT_CODES.has(error.code)) return false;
  return safety === 'repeatable' || !failure.mayHaveTakenEffect;
}

/** Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): uniform in [0, cap). */
export function fullJitterDelayMs(retryNumber: number, settings: Pick<RetrySettings, 'random' | 'baseDelayMs' | 'maxDelayMs'>): number {
  const capMs = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.floor(settings.random() * capMs);
}
