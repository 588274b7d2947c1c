import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/logger';
import type { LatchkeyErrorCode } from '../../../main/core/errors';
import { AwsServiceError } from '../../../main/aws/aws-service-error';
import { fullJitterDelayMs, withRetries, type AttemptOutcome, type RetrySafety, type RetrySettings } from '../../../main/aws/with-retries';
import { FakeClock } from '../../support/fake-clock';
import { fixedRandom } from '../../support/fixed-random';

function settings(clock: FakeClock, overrides: Partial<RetrySettings> = {}): RetrySettings {
  return {
    clock,
    random: fixedRandom(0.5),
    logger: silentLogger,
    requestTimeoutMs: 1_000,
    deadlineMs: 30_000,
    maxAttempts: 5,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    ...overrides,
  };
}

function failure(code: LatchkeyErrorCode, retryable: boolean, mayHaveTakenEffect: boolean): AttemptOutcome<string> {
  return { ok: false, failure: { error: new AwsServiceError(code, code, { operation: 'CreateToken', retryable }), mayHaveTakenEffect } };
}

/** An attempt function that plays back `outcomes` in order and counts calls. */
function scripted(outcomes: AttemptOutcome<string>[]) {
  const calls: number[] = [];
  return {
    calls,
    attempt: async (timeoutMs: number): Promise<AttemptOutcome<string>> => {
      calls.push(timeoutMs);
      return outcomes[calls.length - 1] ?? { ok: true, value: 'done' };
    },
  };
}

describe('retries with full-jitter backoff', () => {
  it('sleeps random × min(cap, base × 2^n) between attempts and returns the eventual success', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const script = scripted([failure('server_error', true, false), failure('throttled', true, false), failure('server_error', true, false), failure('server_error', true, false), failure('server_error', true, false)]);
    await expect(withRetries('repeatable', settings(clock, { maxAttempts: 6 }), script.attempt)).resolves.toBe('done');
    // base 100, cap 1000, random 0.5: 50, 100, 200, 400, then capped at 500.
    expect(clock.sleeps).toEqual([50, 100, 200, 400, 500]);
  });

  it('uses the whole [0, cap) range of the random source', () => {
    const timing = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(fullJitterDelayMs(3, { ...timing, random: fixedRandom(0) })).toBe(0);
    expect(fullJitterDelayMs(3, { ...timing, random: fixedRandom(0.999) })).toBe(399);
    expect(fullJitterDelayMs(20, { ...timing, random: fixedRandom(0.999) })).toBe(999);
  });

  it('stops after maxAttempts and throws the last error', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const script = scripted(Array.from({ length: 10 }, () => failure('server_error', true, false)));
    await expect(withRetries('repeatable', settings(clock, { maxAttempts: 3 }), script.attempt)).rejects.toMatchObject({ code: 'server_error' });
    expect(script.calls).toHaveLength(3);
  });

  it('stops when the next sleep would pass the total deadline', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const script = scripted(Array.from({ length: 10 }, () => failure('network_error', true, false)));
    await expect(
      withRetries('repeatable', settings(clock, { deadlineMs: 200, maxAttempts: 10, random: fixedRandom(0.99) }), script.attempt),
    ).rejects.toMatchObject({ code: 'network_error' });
    // 99 ms then 198 ms: the second sleep would end past 200 ms.
    expect(clock.sleeps).toEqual([99]);
    expect(script.calls).toHaveLength(2);
  });

  it('gives each attempt no more than the time left before the deadline', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const script = scripted([failure('timeout', true, false)]);
    await withRetries('repeatable', settings(clock, { deadlineMs: 1_500, requestTimeoutMs: 1_000, random: fixedRandom(0.99) }), async (timeoutMs) => {
      clock.advance(timeoutMs); // each attempt runs into its timeout
      return script.attempt(timeoutMs);
    });
    // 1,000 ms attempt + 99 ms backoff leaves 401 ms of the 1,500 ms budget.
    expect(script.calls).toEqual([1_000, 401]);
  });

  it.each<[string, LatchkeyErrorCode, boolean, boolean, RetrySafety, number]>([
    ['answers_are_not_retried', 'invalid_grant', false, true, 'repeatable', 1],
    ['authorization_pending_is_for_the_poll_loop', 'authorization_pending', true, true, 'repeatable', 1],
    ['slow_down_is_for_the_poll_loop', 'slow_down', true, true, 'repeatable', 1],
    ['unparseable_body_is_not_retried', 'malformed_response', false, true, 'repeatable', 1],
    ['repeatable_network_error_is_retried', 'network_error', true, true, 'repeatable', 2],
    ['single_use_after_possible_delivery_is_not_retried', 'network_error', true, true, 'single-use', 1],
    ['single_use_timeout_after_sending_is_not_retried', 'timeout', true, true, 'single-use', 1],
    ['single_use_never_sent_is_retried', 'network_error', true, false, 'single-use', 2],
    ['single_use_refused_by_server_is_retried', 'server_error', true, false, 'single-use', 2],
  ])('%s', async (_name, code, retryable, mayHaveTakenEffect, safety, expectedCalls) => {
    const clock = new FakeClock({ autoAdvance: true });
    const script = scripted([failure(code, retryable, mayHaveTakenEffect)]);
    const run = withRetries(safety, settings(clock), script.attempt);
    if (expectedCalls === 1) await expect(run).rejects.toMatchObject({ code });
    else await expect(run).resolves.toBe('done');
    expect(script.calls).toHaveLength(expectedCalls);
  });

  it('abandons the backoff sleep when the signal aborts', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const controller = new AbortController();
    controller.abort(new Error('quit'));
    const script = scripted([failure('server_error', true, false)]);
    await expect(withRetries('repeatable', settings(clock), script.attempt, controller.signal)).rejects.toThrow('quit');
  });
});
