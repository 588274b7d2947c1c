import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSystemClock, systemClock } from '../../../main/core/clock';

const DAY_MS = 86_400_000;
const LONGEST_NODE_TIMER_MS = 2 ** 31 - 1;

/** Whether the promise has settled once every timer due by now has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe('systemClock.sleep beyond the longest timer Node keeps', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each<[string, number]>([
    ['thirty_days', 30 * DAY_MS],
    ['one_past_the_longest_timer', LONGEST_NODE_TIMER_MS + 1],
    ['a_device_interval_of_3e6_seconds', 3e9],
    ['ninety_days', 90 * DAY_MS],
  ])('waits the full %s rather than waking after a millisecond', async (_name, ms) => {
    const sleeping = systemClock.sleep(ms);
    await vi.advanceTimersByTimeAsync(ms - 1);
    expect(await settled(sleeping)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(sleeping)).toBe(true);
  });

  it('ends a long sleep when aborted in a later step, and leaves no timer behind', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60 * DAY_MS, controller.signal);
    const outcome = sleeping.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(40 * DAY_MS);
    controller.abort(new Error('stopped'));
    expect(await outcome).toEqual(new Error('stopped'));
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('a system clock with short timer steps', () => {
  it('sleeps the whole delay across several steps', async () => {
    const clock = createSystemClock({ longestTimerMs: 10 });
    const startedAtMs = performance.now();
    await clock.sleep(50);
    // Node may fire a timer up to a millisecond early; five 1 ms wake-ups would end at once.
    expect(performance.now() - startedAtMs).toBeGreaterThanOrEqual(48);
  });

  it('rejects with the reason when aborted between steps', async () => {
    const clock = createSystemClock({ longestTimerMs: 10 });
    const controller = new AbortController();
    const sleeping = clock.sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(new Error('stopped')), 25);
    await expect(sleeping).rejects.toThrow('stopped');
  });

  it('rejects at once when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(createSystemClock({ longestTimerMs: 10 }).sleep(50, controller.signal)).rejects.toThrow('stopped');
  });
});

describe('systemClock.nowMs when the wall clock moves', () => {
  const HOUR_MS = 3_600_000;

  /** A wall clock and a monotonic one the test moves. */
  function clocks() {
    const time = { wall: 1_800_000_000_000, monotonic: 5_000 };
    const clock = createSystemClock({ wallMs: () => time.wall, monotonicMs: () => time.monotonic });
    return { time, clock };
  }

  it('follows the wall clock while it runs as the monotonic clock does', () => {
    const { time, clock } = clocks();
    time.wall += 1_500;
    time.monotonic += 1_500;
    expect(clock.nowMs()).toBe(1_800_000_001_500);
  });

  it('does not follow a wall clock set back: time goes on from where it was by the monotonic clock', () => {
    const { time, clock } = clocks();
    expect(clock.nowMs()).toBe(1_800_000_000_000);

    time.wall -= 2 * HOUR_MS;
    time.monotonic += 10_000;

    expect(clock.nowMs()).toBe(1_800_000_010_000);
    time.wall += 60_000;
    time.monotonic += 60_000;
    expect(clock.nowMs()).toBe(1_800_000_070_000);
  });

  it('follows a wall clock set forward, and a wake from sleep, during which the monotonic clock stood still', () => {
    const { time, clock } = clocks();
    time.wall += 3 * HOUR_MS;
    expect(clock.nowMs()).toBe(1_800_000_000_000 + 3 * HOUR_MS);
    time.wall += 14 * HOUR_MS;
    time.monotonic += 1;
    expect(clock.nowMs()).toBe(1_800_000_000_000 + 17 * HOUR_MS);
  });

  it('keeps whole milliseconds and never reads earlier than before, whatever the monotonic clock\'s fractions', () => {
    const { time, clock } = clocks();
    time.wall -= HOUR_MS;
    const readings: number[] = [];
    for (let step = 0; step < 1_000; step += 1) {
      time.monotonic += 0.3;
      readings.push(clock.nowMs());
    }
    expect(readings.every((reading, index) => Number.isInteger(reading) && (index === 0 || reading >= (readings[index - 1] ?? 0)))).toBe(true);
    expect(readings.at(-1)).toBe(1_800_000_000_300);
  });
});
