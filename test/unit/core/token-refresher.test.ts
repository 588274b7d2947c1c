import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/logger';
import { TokenRefresher } from '../../../main/core/token-refresher';
import { FakeClock } from '../../support/fake-clock';
import { FakePortal } from '../../support/fake-portal';
import { ScriptedOidc, sampleToken } from '../../support/scripted-oidc';
import { corpSession, sessionFixture } from '../../support/session-fixture';

const MINUTE_MS = 60_000;
let refresher: TokenRefresher | undefined;

afterEach(() => refresher?.dispose());

type Steps = ConstructorParameters<typeof ScriptedOidc>[0];

async function signedIn(steps: Steps, firstToken = sampleToken()) {
  const clock = new FakeClock();
  const oidc = new ScriptedOidc([firstToken, ...steps]);
  const fixture = sessionFixture(clock, oidc, new FakePortal(() => clock.nowMs()));
  const signIn = fixture.tokens.signIn(corpSession, { flow: 'device-code' });
  await clock.advance(1000);
  await signIn;
  refresher = new TokenRefresher(fixture.tokens, clock, silentLogger);
  const refreshes = () => oidc.tokenCalls.filter((c) => c.grantType === 'refresh_token').length;
  return { clock, oidc, refresher, refreshes, ...fixture };
}

describe('TokenRefresher', () => {
  it('refreshes 20 minutes before expiry (before botocore\'s 15 and the JS SDK\'s 5), and again before the next expiry', async () => {
    const { clock, refresher, refreshes, vault } = await signedIn([
      sampleToken({ accessToken: 'access-2', refreshToken: 'refresh-2' }),
      sampleToken({ accessToken: 'access-3', refreshToken: 'refresh-3' }),
    ]);
    refresher.watch(corpSession);
    await clock.advance(39 * MINUTE_MS);
    expect(refreshes()).toBe(0);
    await clock.advance(1 * MINUTE_MS);
    expect(refreshes()).toBe(1);
    expect(vault.tokenSets.get('corp')?.accessToken).toBe('access-2');
    await clock.advance(40 * MINUTE_MS);
    expect(refreshes()).toBe(2);
    expect(vault.tokenSets.get('corp')?.refreshToken).toBe('refresh-3');
  });

  it('retries with growing waits when AWS cannot be reached, then recovers', async () => {
    const { clock, refresher, refreshes } = await signedIn(['network_error', 'network_error', sampleToken({ accessToken: 'access-2' })]);
    refresher.watch(corpSession);
    await clock.advance(40 * MINUTE_MS);
    expect(refreshes()).toBe(1);
    await clock.advance(15_000);
    expect(refreshes()).toBe(2);
    await clock.advance(29_000);
    expect(refreshes()).toBe(2);
    await clock.advance(1_000);
    expect(refreshes()).toBe(3);
  });

  it('stops for good when the refresh token is rejected', async () => {
    const { clock, refresher, refreshes, seen } = await signedIn(['invalid_grant']);
    refresher.watch(corpSession);
    await clock.advance(50 * MINUTE_MS);
    await clock.advance(24 * 60 * MINUTE_MS);
    expect(refreshes()).toBe(1);
    expect(seen.filter((e) => e.type === 'signed-out')).toHaveLength(1);
    expect(refresher.isWatching('corp')).toBe(false);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('watches a session once however often it is asked', async () => {
    const { clock, refresher, refreshes } = await signedIn([sampleToken({ accessToken: 'access-2' })]);
    refresher.watch(corpSession);
    refresher.watch(corpSession);
    await clock.advance(50 * MINUTE_MS);
    expect(refreshes()).toBe(1);
  });

  it('leaves no timer behind when disposed', async () => {
    const { clock, refresher, refreshes } = await signedIn([]);
    refresher.watch(corpSession);
    await clock.advance(1);
    expect(clock.pendingSleeps).toBe(1);
    refresher.dispose();
    await clock.advance(60 * MINUTE_MS);
    expect(clock.pendingSleeps).toBe(0);
    expect(refreshes()).toBe(0);
  });

  it.each<[string, number, number]>([
    ['five_minutes', 300, 150_000],
    ['ten_minutes', 600, 300_000],
    ['fifteen_minutes', 900, 450_000],
    ['twenty_minutes', 1200, 600_000],
    ['ninety_seconds', 90, 60_000],
    ['one_second', 1, 60_000],
    ['already_expired', -5, 60_000],
  ])('refreshes a token issued for %s at half its life, never sooner than a minute after it was obtained', async (_name, expiresIn, dueAfterMs) => {
    const issued = (n: number) => sampleToken({ accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn });
    const { clock, refresher, refreshes } = await signedIn([issued(2), issued(3)], issued(1));
    refresher.watch(corpSession);
    await clock.advance(dueAfterMs - 1);
    expect(refreshes()).toBe(0);
    await clock.advance(1);
    expect(refreshes()).toBe(1);
    await clock.advance(dueAfterMs - 1);
    expect(refreshes()).toBe(1);
    await clock.advance(1);
    expect(refreshes()).toBe(2);
  });

  it('makes at most one CreateToken a minute for a service that issues one-second tokens', async () => {
    const oneSecond = Array.from({ length: 100 }, (_, n) => sampleToken({ accessToken: `access-${n + 2}`, refreshToken: `refresh-${n + 2}`, expiresIn: 1 }));
    const { clock, refresher, refreshes } = await signedIn(oneSecond, sampleToken({ expiresIn: 1 }));
    refresher.watch(corpSession);
    await clock.advance(10 * MINUTE_MS);
    expect(refreshes()).toBe(10);
  });

  it('tries no sooner than a minute later when a refresh cannot renew the token', async () => {
    const { clock, refresher, vault } = await signedIn([]);
    // Without its registration the session cannot refresh; the token is served until it expires.
    vault.registrations.delete('corp');
    let reads = 0;
    const readTokens = vault.tokens.bind(vault);
    vault.tokens = async (session) => {
      reads += 1;
      // Ends a spin, so that the test reports it rather than hangs.
      if (reads > 20) refresher.unwatch(session);
      return readTokens(session);
    };
    refresher.watch(corpSession);
    await clock.advance(40 * MINUTE_MS + 59_999);
    // One status read, one refresh that returns the token as it was, the next status read.
    expect(reads).toBe(3);
    await clock.advance(1);
    expect(reads).toBe(5);
  });
});
