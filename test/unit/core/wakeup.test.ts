import { describe, expect, it } from 'vitest';
import { sleepUnlessWoken, Wakeup } from '../../../main/core/wakeup';
import { FakeClock } from '../../support/fake-clock';

describe('sleepUnlessWoken', () => {
  it('sleeps its whole time when nothing wakes it, and leaves no waiter behind', async () => {
    const clock = new FakeClock();
    const wakeup = new Wakeup();
    const sleeping = sleepUnlessWoken(clock, 1_000, wakeup);
    await clock.advance(1_000);
    await expect(sleeping).resolves.toBe('slept');
    expect(wakeup.waiting).toBe(0);
  });

  it('ends at once when the wakeup fires, before its time', async () => {
    const clock = new FakeClock();
    const wakeup = new Wakeup();
    const sleeping = sleepUnlessWoken(clock, 60_000, wakeup);
    await clock.advance(10);
    wakeup.fire();
    await expect(sleeping).resolves.toBe('woken');
    expect(clock.nowMs()).toBe(Date.UTC(2026, 0, 1) + 10);
  });

  it('says stopped when its signal aborts, or was aborted before it began, and does not sleep then', async () => {
    const clock = new FakeClock();
    const wakeup = new Wakeup();
    const controller = new AbortController();
    const sleeping = sleepUnlessWoken(clock, 60_000, wakeup, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBe('stopped');
    await expect(sleepUnlessWoken(clock, 60_000, wakeup, controller.signal)).resolves.toBe('stopped');
    expect(clock.sleeps).toEqual([60_000]);
    expect(wakeup.waiting).toBe(0);
  });
});
