import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../../main/core/single-flight';

describe('SingleFlight', () => {
  it('runs once for 100 concurrent callers of one key and gives all the result', async () => {
    const flight = new SingleFlight<string, number>();
    let runs = 0;
    const work = async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 5));
      return 42;
    };
    const results = await Promise.all(Array.from({ length: 100 }, () => flight.run('corp', work)));
    expect(runs).toBe(1);
    expect(new Set(results)).toEqual(new Set([42]));
  });

  it('runs different keys independently', async () => {
    const flight = new SingleFlight<string, string>();
    const results = await Promise.all([flight.run('a', async () => 'A'), flight.run('b', async () => 'B')]);
    expect(results).toEqual(['A', 'B']);
  });

  it('shares a failure with every waiting caller, then lets the next call start afresh', async () => {
    const flight = new SingleFlight<string, number>();
    let runs = 0;
    const failing = async () => {
      runs += 1;
      throw new Error('boom');
    };
    const outcomes = await Promise.allSettled([flight.run('k', failing), flight.run('k', failing)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(runs).toBe(1);
    expect(flight.isRunning('k')).toBe(false);
    await expect(flight.run('k', async () => 7)).resolves.toBe(7);
  });

  it('exposes the run in flight so a caller can join without starting one', async () => {
    const flight = new SingleFlight<string, number>();
    expect(flight.current('k')).toBeUndefined();
    const running = flight.run('k', async () => 1);
    expect(flight.current('k')).toBe(running);
    await running;
    expect(flight.current('k')).toBeUndefined();
  });
});
