import { describe, expect, it } from 'vitest';
import { LatchkeyError, isLatchkeyError } from '../../../main/core/errors';
import { TOKEN_REFRESH_MIN_INTERVAL_MS } from '../../../main/core/time-windows';
import { FakeClock } from '../../support/fake-clock';
import { FakePortal } from '../../support/fake-portal';
import { ScriptedOidc, sampleToken } from '../../support/scripted-oidc';
import { corpSession, sessionFixture } from '../../support/session-fixture';

const HOUR_MS = 3_600_000;

function setup(steps: ConstructorParameters<typeof ScriptedOidc>[0]) {
  const clock = new FakeClock({ autoAdvance: true });
  const oidc = new ScriptedOidc(steps);
  const portal = new FakePortal(() => clock.nowMs());
  return { clock, oidc, portal, ...sessionFixture(clock, oidc, portal) };
}

/** Signed in, then the registration's secret expires, then the token comes 5 minutes from its end. */
async function signedInOnExpiredRegistration(steps: ConstructorParameters<typeof ScriptedOidc>[0]) {
  const fixture = setup(steps);
  await fixture.tokens.signIn(corpSession, { flow: 'device-code' });
  const registration = fixture.vault.registrations.get('corp');
  if (!registration) throw new Error('expected a registration');
  fixture.vault.registrations.set('corp', { ...registration, expiresAtMs: fixture.clock.nowMs() });
  await fixture.clock.advance(HOUR_MS - 5 * 60_000);
  return fixture;
}

function refreshCalls(oidc: ScriptedOidc): number {
  return oidc.tokenCalls.filter((c) => c.grantType === 'refresh_token').length;
}

/**
 * `access-1` is served as it is and no refresh starts until `dueInMs` from now; from then
 * it is still served, with one refresh behind it, after which `access-2` is.
 */
async function expectRefreshBehindFrom({ clock, oidc, tokens }: ReturnType<typeof setup>, dueInMs: number): Promise<void> {
  const before = refreshCalls(oidc);
  await clock.advance(dueInMs - 1);
  await expect(tokens.accessToken(corpSession)).resolves.toBe('access-1');
  expect(tokens.refreshInFlight('corp')).toBeUndefined();
  expect(refreshCalls(oidc)).toBe(before);
  await clock.advance(1);
  await expect(tokens.accessToken(corpSession)).resolves.toBe('access-1');
  await tokens.refreshInFlight('corp');
  expect(refreshCalls(oidc)).toBe(before + 1);
  await expect(tokens.accessToken(corpSession)).resolves.toBe('access-2');
}

describe('SessionTokens', () => {
  it('starts exactly one sign-in for 100 concurrent callers and gives all its tokens', async () => {
    const { oidc, tokens, seen } = setup(['authorization_pending', sampleToken()]);
    const results = await Promise.all(Array.from({ length: 100 }, () => tokens.signIn(corpSession, { flow: 'device-code' })));
    expect(oidc.registrations).toHaveLength(1);
    expect(oidc.authorizations).toHaveLength(1);
    expect(new Set(results.map((t) => t.accessToken))).toEqual(new Set(['access-1']));
    expect(seen.filter((e) => e.type === 'signed-in')).toHaveLength(1);
  });

  it.each([
    ['with_a_refresh_token_renews', sampleToken(), true],
    ['without_a_refresh_token_does_not', sampleToken({ refreshToken: undefined }), false],
  ])('says in signed-in whether the sign-in renews by itself: %s', async (_name, token, refreshable) => {
    const { tokens, seen } = setup([token]);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    expect(seen.filter((e) => e.type === 'signed-in')).toEqual([{ type: 'signed-in', session: 'corp', accessTokenExpiresAtMs: expect.any(Number), refreshable }]);
  });

  it('registers with scopes and the refresh_token grant, under a recognisable name', async () => {
    const { oidc, tokens } = setup([sampleToken()]);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    expect(oidc.registrations[0]).toEqual({
      clientName: 'Latchkey on test',
      clientType: 'public',
      scopes: ['sso:account:access'],
      grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
    });
  });

  it('lets callers of a signed-out session join a sign-in in flight', async () => {
    const { tokens } = setup(['authorization_pending', sampleToken()]);
    const signIn = tokens.signIn(corpSession, { flow: 'device-code' });
    const waiting = await Promise.all(Array.from({ length: 100 }, () => tokens.accessToken(corpSession)));
    expect(new Set(waiting)).toEqual(new Set(['access-1']));
    await signIn;
  });

  it('does not start a sign-in by itself for a signed-out session', async () => {
    const { oidc, tokens } = setup([sampleToken()]);
    const error = await tokens.accessToken(corpSession).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'signed_out')).toBe(true);
    expect((error as Error).message).toContain('latchkey login --session corp');
    expect(oidc.authorizations).toHaveLength(0);
  });

  it('serves a token with time left without calling AWS', async () => {
    const { oidc, tokens } = setup([sampleToken()]);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    await expect(tokens.accessToken(corpSession)).resolves.toBe('access-1');
    expect(oidc.tokenCalls).toHaveLength(1);
  });

  it('serves 100 concurrent callers of a session due for refresh at once, and refreshes it once behind them', async () => {
    const { clock, oidc, tokens } = setup([sampleToken(), sampleToken({ accessToken: 'access-2', refreshToken: 'refresh-2' })]);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    await clock.advance(HOUR_MS - 5 * 60_000);
    const results = await Promise.all(Array.from({ length: 100 }, () => tokens.accessToken(corpSession)));
    expect(new Set(results)).toEqual(new Set(['access-1']));
    await tokens.refreshInFlight('corp');
    expect(refreshCalls(oidc)).toBe(1);
    expect(oidc.tokenCalls.at(-1)).toMatchObject({ grantType: 'refresh_token', refreshToken: 'refresh-1', clientId: 'client-1' });
    await expect(tokens.accessToken(corpSession)).resolves.toBe('access-2');
  });

  it('makes 100 concurrent callers of an expired token wait for one refresh', async () => {
    const { clock, oidc, tokens } = setup([sampleToken(), sampleToken({ accessToken: 'access-2' })]);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    await clock.advance(HOUR_MS);
    const results = await Promise.all(Array.from({ length: 100 }, () => tokens.accessToken(corpSession)));
    expect(new Set(results)).toEqual(new Set(['access-2']));
    expect(refreshCalls(oidc)).toBe(1);
  });

  it.each<[string, number, number]>([
    ['five_minute', 300, 150_000],
    ['one_hour', 3600, 40 * 60_000],
    ['ninety_second', 90, 60_000],
  ])('serves a %s token as it is until its refresh is due, then still serves it while it is refreshed behind', async (_name, expiresIn, refreshAfterMs) => {
    const fixture = setup([sampleToken({ expiresIn }), sampleToken({ accessToken: 'access-2', expiresIn })]);
    await fixture.tokens.signIn(corpSession, { flow: 'device-code' });
    await expectRefreshBehindFrom(fixture, refreshAfterMs);
  });

  it('waits for the refresh of a token whose life ended before its refresh fell due (a one-second token)', async () => {
    const { clock, oidc, tokens } = setup([sampleToken({ expiresIn: 1 }), sampleToken({ accessToken: 'access-2', expiresIn: 1 })]);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    await clock.advance(999);
    await expect(tokens.accessToken(corpSession)).resolves.toBe('access-1');
    expect(refreshCalls(oidc)).toBe(0);
    await clock.advance(1);
    await expect(tokens.accessToken(corpSession)).resolves.toBe('access-2');
    expect(refreshCalls(oidc)).toBe(1);
  });

  it.each(['malformed_response', 'timeout', 'throttled'] as const)(
    'does not refresh again behind a request for a minute after a refresh failed with %s, which may have spent the refresh token',
    async (failure) => {
      const fixture = setup([sampleToken(), failure, sampleToken({ accessToken: 'access-2' })]);
      const { clock, tokens, seen } = fixture;
      await tokens.signIn(corpSession, { flow: 'device-code' });
      await clock.advance(HOUR_MS - 15 * 60_000);
      await expect(tokens.refresh(corpSession)).rejects.toSatisfy((error: unknown) => isLatchkeyError(error, failure));
      await expectRefreshBehindFrom(fixture, TOKEN_REFRESH_MIN_INTERVAL_MS);
      expect(seen.filter((e) => e.type === 'signed-out')).toHaveLength(0);
    },
  );

  it('keeps the old refresh token when the refresh response has none', async () => {
    const { clock, tokens, vault, oidc } = setup([sampleToken(), sampleToken({ accessToken: 'access-2', refreshToken: undefined }), sampleToken({ accessToken: 'access-3' })]);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    await clock.advance(HOUR_MS);
    await tokens.refresh(corpSession);
    expect(vault.tokenSets.get('corp')?.refreshToken).toBe('refresh-1');
    await clock.advance(HOUR_MS);
    await tokens.refresh(corpSession);
    expect(oidc.tokenCalls.at(-1)).toMatchObject({ refreshToken: 'refresh-1' });
  });

  it('marks the session signed out once when the refresh token is rejected, and never retries it', async () => {
    const { clock, oidc, tokens, seen, vault } = setup([sampleToken(), 'invalid_grant']);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    await clock.advance(HOUR_MS);
    const errors = await Promise.all(Array.from({ length: 10 }, () => tokens.accessToken(corpSession).catch((e: unknown) => e)));
    expect(errors.every((e) => isLatchkeyError(e, 'signed_out'))).toBe(true);
    expect(refreshCalls(oidc)).toBe(1);
    expect(seen.filter((e) => e.type === 'signed-out')).toEqual([{ type: 'signed-out', session: 'corp', reason: 'refresh-rejected' }]);
    expect(vault.tokenSets.has('corp')).toBe(false);
    expect(vault.registrations.has('corp')).toBe(true);
    await expect(tokens.status('corp')).resolves.toEqual({ signedIn: false, refreshable: false });
  });

  it.each(['network_error', 'malformed_response', 'access_denied'] as const)(
    'keeps serving a still-valid token when a refresh fails with %s (only a rejected refresh token ends it early)',
    async (failure) => {
      const { clock, oidc, tokens } = setup([sampleToken(), failure]);
      await tokens.signIn(corpSession, { flow: 'device-code' });
      await clock.advance(HOUR_MS - 5 * 60_000);
      await expect(tokens.accessToken(corpSession)).resolves.toBe('access-1');
      await tokens.refreshInFlight('corp')?.catch(() => undefined);
      expect(refreshCalls(oidc)).toBe(1);
      await expect(tokens.accessToken(corpSession)).resolves.toBe('access-1');
    },
  );

  it('refreshes with a registration past its expiry, which AWS is left to judge, and the session goes on when AWS takes it', async () => {
    const { oidc, tokens } = await signedInOnExpiredRegistration([sampleToken(), sampleToken({ accessToken: 'access-2' })]);

    await expect(tokens.accessToken(corpSession)).resolves.toBe('access-1');
    await tokens.refreshInFlight('corp');
    expect(refreshCalls(oidc)).toBe(1);
    await expect(tokens.accessToken(corpSession)).resolves.toBe('access-2');
  });

  it('when AWS refuses a registration past its expiry at refresh, forgets it and serves the token until it expires, then signs out', async () => {
    const { clock, oidc, tokens, vault, seen } = await signedInOnExpiredRegistration([sampleToken(), 'invalid_client']);

    await expect(tokens.accessToken(corpSession)).resolves.toBe('access-1');
    await tokens.refreshInFlight('corp');
    await expect(tokens.accessToken(corpSession)).resolves.toBe('access-1');
    expect(vault.registrations.has('corp')).toBe(false);
    expect(refreshCalls(oidc)).toBe(1);
    await clock.advance(5 * 60_000);
    await expect(tokens.accessToken(corpSession)).rejects.toSatisfy((error: unknown) => isLatchkeyError(error, 'signed_out'));
    expect(seen.filter((e) => e.type === 'signed-out')).toEqual([{ type: 'signed-out', session: 'corp', reason: 'expired' }]);
  });

  it('fails with the network error once the token has expired and AWS is still unreachable', async () => {
    const { clock, tokens } = setup([sampleToken(), 'network_error']);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    await clock.advance(HOUR_MS + 1);
    const error = await tokens.accessToken(corpSession).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'network_error')).toBe(true);
  });

  it('signs out when a token without a refresh token expires', async () => {
    const { clock, tokens, seen } = setup([sampleToken({ refreshToken: undefined, expiresIn: 8 * 3600 })]);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    await clock.advance(8 * HOUR_MS);
    const error = await tokens.accessToken(corpSession).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'signed_out')).toBe(true);
    expect(seen.at(-1)).toEqual({ type: 'signed-out', session: 'corp', reason: 'expired' });
  });

  it('registers again and retries once when AWS refuses the stored client before any code is shown', async () => {
    const { oidc, tokens, seen } = setup([sampleToken()]);
    const start = oidc.startDeviceAuthorization.bind(oidc);
    let refusals = 1;
    oidc.startDeviceAuthorization = async (input) => {
      if (refusals-- > 0) throw new LatchkeyError('invalid_client', 'scripted invalid_client');
      return start(input);
    };
    await tokens.signIn(corpSession, { flow: 'device-code' });
    expect(oidc.registrations).toHaveLength(2);
    expect(oidc.tokenCalls.at(-1)).toMatchObject({ clientId: 'client-2' });
    expect(seen.filter((e) => e.type === 'sign-in-progress' && e.progress.type === 'code-issued')).toHaveLength(1);
  });

  it('stops instead of issuing a new code behind the person when AWS forgets the client after the code was shown', async () => {
    const { oidc, tokens, seen } = setup(['authorization_pending', 'invalid_client', sampleToken()]);
    const error = await tokens.signIn(corpSession, { flow: 'device-code' }).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'invalid_client')).toBe(true);
    expect((error as Error).message).toMatch(/the code shown can no longer be approved.*start the sign-in again for a new code\.$/);
    expect(oidc.authorizations).toHaveLength(1);
    expect(seen.filter((e) => e.type === 'sign-in-progress' && e.progress.type === 'code-issued')).toHaveLength(1);
    expect(seen.at(-1)).toEqual({ type: 'sign-in-failed', session: 'corp', code: 'invalid_client' });
    // The dead registration is gone: the next sign-in a person starts registers afresh.
    oidc.tokenCalls.length = 0;
    await tokens.signIn(corpSession, { flow: 'device-code' });
    expect(oidc.registrations).toHaveLength(2);
    expect(oidc.tokenCalls.at(-1)).toMatchObject({ clientId: 'client-2' });
  });

  it('keeps serving a signed-in session from its tokens while it signs in again', async () => {
    const { tokens } = setup([sampleToken(), 'authorization_pending', 'authorization_pending', sampleToken({ accessToken: 'access-2' })]);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    const again = tokens.signIn(corpSession, { flow: 'device-code' });
    await expect(tokens.accessToken(corpSession)).resolves.toBe('access-1');
    await again;
  });

  it('signs out with a portal Logout and wipes every record of the session', async () => {
    const { portal, tokens, vault, seen } = setup([sampleToken()]);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    await expect(tokens.signOut(corpSession)).resolves.toEqual({ awsTold: true });
    expect(portal.calls).toEqual([{ operation: 'Logout', accessToken: 'access-1' }]);
    expect(vault.tokenSets.size + vault.registrations.size).toBe(0);
    expect(seen.at(-1)).toEqual({ type: 'signed-out', session: 'corp', reason: 'logout' });
  });

  it('still wipes the session when the Logout call fails, and says until when the token stays valid at AWS', async () => {
    const { clock, portal, tokens, vault } = setup([sampleToken()]);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    const expiresAtMs = vault.tokenSets.get('corp')?.accessTokenExpiresAtMs;
    portal.failNext('network_error');

    const outcome = await tokens.signOut(corpSession);

    expect(outcome).toEqual({ awsTold: false, code: 'network_error', tokenValidUntilMs: expiresAtMs });
    expect(expiresAtMs).toBeGreaterThan(clock.nowMs());
    expect(vault.tokenSets.size).toBe(0);
  });

  it('has nothing to tell AWS of an expired token: the sign-out is complete without a Logout call', async () => {
    const { clock, portal, tokens } = setup([sampleToken({ refreshToken: undefined })]);
    await tokens.signIn(corpSession, { flow: 'device-code' });
    await clock.advance(2 * HOUR_MS);

    await expect(tokens.signOut(corpSession)).resolves.toEqual({ awsTold: true });
    expect(portal.calls).toEqual([]);
  });
});
