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

async function signedIn(steps: ConstructorParameters<typeof ScriptedOidc>[0]) {
  const clock = new FakeClock();
  const oidc = new ScriptedOidc([sampleToken(), ...steps]);
  const fixture = sessionFixture(clock, oidc, new FakePortal(() => clock.nowMs()));
  const signIn = fixture.tokens.signIn(corpSession, { flow: 'device-code' });
  await clock.advance(1000);
  await signIn;
  refresher = new TokenRefresher(fixture.tokens, clock, silentLogger);
  const refreshes = () => oidc.tokenCalls.filter((c) => c.grantType === 'refresh_token').length;
  return { clock, oidc, refresher, refreshes, ...fixture };
}

describe('TokenRefresher', () => {
  it('refreshes 10 minutes before expiry, and again before the next expiry', async () => {
    const { clock, refresher, refreshes, vault } = await signedIn([
      sampleToken({ accessToken: 'access-2', refreshToken: 'refresh-2' }),
      sampleToken({ accessToken: 'access-3', refreshToken: 'refresh-3' }),
    ]);
    refresher.watch(corpSession);
    await clock.advance(49 * MINUTE_MS);
    expect(refreshes()).toBe(0);
    await clock.advance(1 * MINUTE_MS);
    expect(refreshes()).toBe(1);
    expect(vault.tokenSets.get('corp')?.accessToken).toBe('access-2');
    await clock.advance(50 * MINUTE_MS);
    expect(refreshes()).toBe(2);
    expect(vault.tokenSets.get('corp')?.refreshToken).toBe('refresh-3');
  });

  it('retries with growing waits when AWS cannot be reached, then recovers', async () => {
    const { clock, refresher, refreshes } = await signedIn(['network_error', 'network_error', sampleToken({ accessToken: 'access-2' })]);
    refresher.watch(corpSession);
    await clock.advance(50 * MINUTE_MS);
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
});
