import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import { WALL_CLOCK_RECHECK_MS } from '../../main/core/time-windows';
import { TokenRefresher } from '../../main/core/token-refresher';
import { FakeClock } from '../support/fake-clock';
import { FakePortal } from '../support/fake-portal';
import { ScriptedOidc, sampleToken } from '../support/scripted-oidc';
import { corpSession, sessionFixture } from '../support/session-fixture';
import { recordCounts } from './suite-size';

// The wall clock moves while the refresher's timers keep monotonic time (FakeClock's
// jumpWallClock): a clock set forward, or a laptop asleep through the refresh point.
// A token lives an hour and is due for refresh 20 minutes before it ends.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

let refresher: TokenRefresher | undefined;
afterEach(() => refresher?.dispose());

const tried: { scenario: string; movedMs: number; refreshedWithinMs: number }[] = [];
afterAll(() => recordCounts('clock-jumps', { scenarios: tried.length, tried }));

async function signedInAndWatched() {
  const clock = new FakeClock();
  const oidc = new ScriptedOidc([sampleToken(), sampleToken({ accessToken: 'access-2', refreshToken: 'refresh-2' }), sampleToken({ accessToken: 'access-3', refreshToken: 'refresh-3' })]);
  const fixture = sessionFixture(clock, oidc, new FakePortal(() => clock.nowMs()));
  const signIn = fixture.tokens.signIn(corpSession, { flow: 'device-code' });
  await clock.advance(1000);
  await signIn;
  refresher = new TokenRefresher(fixture.tokens, clock, silentLogger);
  refresher.watch(corpSession);
  const refreshes = (): number => oidc.tokenCalls.filter((call) => call.grantType === 'refresh_token').length;
  return { clock, refreshes, ...fixture };
}

describe('the background refresh when the wall clock moves under it', () => {
  it.each([
    { scenario: 'clock set forward past the refresh point', afterMs: 5 * MINUTE_MS, movedMs: 40 * MINUTE_MS },
    { scenario: 'clock set forward past the expiry', afterMs: 5 * MINUTE_MS, movedMs: 3 * HOUR_MS },
    { scenario: 'laptop asleep through the refresh point', afterMs: 10 * MINUTE_MS, movedMs: 35 * MINUTE_MS },
    { scenario: 'laptop asleep overnight, through the expiry', afterMs: 30 * MINUTE_MS, movedMs: 14 * HOUR_MS },
    { scenario: 'laptop asleep just after the refresh was planned', afterMs: 1_000, movedMs: 12 * HOUR_MS },
  ])('$scenario: refreshes within half a minute of it, not when the old timer would have fired', async ({ scenario, afterMs, movedMs }) => {
    const { clock, refreshes, vault } = await signedInAndWatched();
    await clock.advance(afterMs);
    expect(refreshes()).toBe(0);

    await clock.jumpWallClock(movedMs);
    await clock.advance(WALL_CLOCK_RECHECK_MS);

    expect(refreshes()).toBe(1);
    expect(vault.tokenSets.get('corp')?.accessToken).toBe('access-2');
    tried.push({ scenario, movedMs, refreshedWithinMs: WALL_CLOCK_RECHECK_MS });
  });

  it('laptop asleep through the refresh point, and the system says it woke: refreshes at once, not half a minute later', async () => {
    const { clock, refreshes, vault } = await signedInAndWatched();
    await clock.advance(10 * MINUTE_MS);

    await clock.jumpWallClock(35 * MINUTE_MS);
    refresher?.wake();
    await clock.advance(0);

    expect(refreshes()).toBe(1);
    expect(vault.tokenSets.get('corp')?.accessToken).toBe('access-2');
    tried.push({ scenario: 'laptop asleep through the refresh point, resume event', movedMs: 35 * MINUTE_MS, refreshedWithinMs: 0 });
  });

  it('a wake-up with nothing due refreshes nothing early', async () => {
    const { clock, refreshes } = await signedInAndWatched();
    await clock.advance(10 * MINUTE_MS);

    refresher?.wake();
    await clock.advance(0);

    expect(refreshes()).toBe(0);
    await clock.advance(30 * MINUTE_MS);
    expect(refreshes()).toBe(1);
  });

  it('a clock set back keeps the refresh where it was planned: nothing is refreshed early or twice', async () => {
    const { clock, refreshes } = await signedInAndWatched();
    await clock.advance(5 * MINUTE_MS);
    await clock.jumpWallClock(-2 * HOUR_MS);
    // The timer runs on its own time: the refresh planned for minute 39 still comes then.
    await clock.advance(34 * MINUTE_MS - WALL_CLOCK_RECHECK_MS);
    expect(refreshes()).toBe(0);
    tried.push({ scenario: 'clock set back', movedMs: -2 * HOUR_MS, refreshedWithinMs: 0 });
  });
});
