import { describe, expect, it } from 'vitest';
import type { ImportedSignIn } from '../../../main/core/aws-sso-cache-import';
import { isLatchkeyError } from '../../../main/core/errors';
import type { StoredRegistration, StoredTokens } from '../../../main/core/session-vault';
import type { SessionTokens } from '../../../main/core/session-tokens';
import type { SignInPeer } from '../../../main/core/sign-in-peer';
import type { SsoSessionSettings } from '../../../main/core/sso-session-settings';
import { FakeClock } from '../../support/fake-clock';
import { FakePortal } from '../../support/fake-portal';
import { ScriptedOidc, sampleToken } from '../../support/scripted-oidc';
import { corpSession, sessionFixture } from '../../support/session-fixture';

const HOUR_MS = 3_600_000;

/** The AWS CLI's copy of the sign-in, as a test sets it; records what Latchkey hands it. */
class FakePeer implements SignInPeer {
  /** What each read returns, in turn; the last one stays. */
  reads: (ImportedSignIn | undefined)[] = [undefined];
  readonly writes: { tokens: StoredTokens; registration: StoredRegistration }[] = [];

  async read(): Promise<ImportedSignIn | undefined> {
    return this.reads.length > 1 ? this.reads.shift() : this.reads[0];
  }

  async write(_session: SsoSessionSettings, tokens: StoredTokens, registration: StoredRegistration): Promise<void> {
    this.writes.push({ tokens, registration });
  }
}

async function signedIn(steps: ConstructorParameters<typeof ScriptedOidc>[0]) {
  const clock = new FakeClock({ autoAdvance: true });
  const oidc = new ScriptedOidc([sampleToken(), ...steps]);
  const peer = new FakePeer();
  const fixture = sessionFixture(clock, oidc, new FakePortal(() => clock.nowMs()), peer);
  await fixture.tokens.signIn(corpSession, { flow: 'device-code' });
  const registration = await fixture.vault.registration('corp');
  if (registration === undefined) throw new Error('expected a registration');
  const ours = await fixture.vault.tokens('corp');
  if (ours === undefined) throw new Error('expected tokens');
  /** The peer's copy: Latchkey's own sign-in (shared), or a later one the peer refreshed to. */
  const copy = (overrides: Partial<StoredTokens> = {}): ImportedSignIn => ({
    tokens: { ...ours, obtainedAtMs: clock.nowMs(), ...overrides },
    registration,
  });
  const refreshCalls = () => oidc.tokenCalls.filter((call) => call.grantType === 'refresh_token');
  return { clock, oidc, peer, copy, refreshCalls, ours, ...fixture };
}

/** The access token a refresh ends with (what the refresh behind a request stores). */
async function refreshedToken(tokens: SessionTokens): Promise<string> {
  return (await tokens.refresh(corpSession)).accessToken;
}

describe('SessionTokens sharing a sign-in with the AWS CLI cache', () => {
  it('takes the later sign-in an SDK refreshed to, instead of spending a refresh token that is no longer valid', async () => {
    const { clock, peer, copy, tokens, vault, refreshCalls, seen } = await signedIn([]);
    await clock.advance(HOUR_MS - 10 * 60_000);
    peer.reads = [copy({ accessToken: 'sdk-access', refreshToken: 'sdk-refresh', accessTokenExpiresAtMs: clock.nowMs() + HOUR_MS })];
    await expect(refreshedToken(tokens)).resolves.toBe('sdk-access');
    expect(refreshCalls()).toHaveLength(0);
    expect(vault.tokenSets.get('corp')).toMatchObject({ accessToken: 'sdk-access', refreshToken: 'sdk-refresh' });
    expect(seen.filter((e) => e.type === 'signed-out')).toHaveLength(0);
  });

  it('refreshes with the later refresh token when the later sign-in is itself due, and hands the result back', async () => {
    const { clock, peer, copy, tokens, refreshCalls } = await signedIn([sampleToken({ accessToken: 'access-2', refreshToken: 'refresh-2' })]);
    await clock.advance(HOUR_MS - 5 * 60_000);
    // Refreshed by an SDK a while ago: later than ours, and inside its own refresh window now.
    peer.reads = [
      copy({ accessToken: 'sdk-access', refreshToken: 'sdk-refresh', obtainedAtMs: clock.nowMs() - 50 * 60_000, accessTokenExpiresAtMs: clock.nowMs() + 10 * 60_000 }),
    ];
    await expect(refreshedToken(tokens)).resolves.toBe('access-2');
    expect(refreshCalls()).toEqual([expect.objectContaining({ refreshToken: 'sdk-refresh' })]);
    expect(peer.writes.map((w) => w.tokens.refreshToken)).toEqual(['refresh-2']);
  });

  it('survives losing the race: a refresh rejected because an SDK rotated the token a moment earlier takes the SDK\'s sign-in', async () => {
    const { clock, peer, copy, tokens, refreshCalls, seen } = await signedIn(['invalid_grant']);
    await clock.advance(HOUR_MS - 10 * 60_000);
    const later = copy({ accessToken: 'sdk-access', refreshToken: 'sdk-refresh', accessTokenExpiresAtMs: clock.nowMs() + HOUR_MS });
    peer.reads = [copy(), later];
    await expect(refreshedToken(tokens)).resolves.toBe('sdk-access');
    expect(refreshCalls()).toHaveLength(1);
    expect(seen.filter((e) => e.type === 'signed-out')).toHaveLength(0);
    expect((await tokens.status('corp')).signedIn).toBe(true);
  });

  it('hands the rotated tokens to the AWS CLI copy that held the refresh token it spent', async () => {
    const { clock, peer, copy, tokens } = await signedIn([sampleToken({ accessToken: 'access-2', refreshToken: 'refresh-2' })]);
    peer.reads = [copy()];
    await clock.advance(HOUR_MS - 10 * 60_000);
    await tokens.refresh(corpSession);
    expect(peer.writes).toHaveLength(1);
    expect(peer.writes[0]?.tokens).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
  });

  it('leaves alone a copy that holds another sign-in, and one that holds none', async () => {
    for (const theirs of [undefined, 'other-refresh']) {
      const { clock, peer, copy, tokens } = await signedIn([sampleToken({ accessToken: 'access-2', refreshToken: 'refresh-2' })]);
      // Another sign-in that is not later (it expires first): Latchkey's own stands, and the copy is not ours to change.
      peer.reads = [theirs === undefined ? undefined : copy({ accessToken: 'other', refreshToken: theirs, accessTokenExpiresAtMs: clock.nowMs() + 60_000 })];
      await clock.advance(HOUR_MS - 10 * 60_000);
      await tokens.refresh(corpSession);
      expect(peer.writes).toHaveLength(0);
    }
  });

  it('does not let a later token without a refresh token push out a refresh token of its own', async () => {
    const { clock, peer, copy, tokens, refreshCalls } = await signedIn([sampleToken({ accessToken: 'access-2' })]);
    await clock.advance(HOUR_MS - 10 * 60_000);
    peer.reads = [{ tokens: copy({ accessToken: 'old-cli', refreshToken: undefined, accessTokenExpiresAtMs: clock.nowMs() + 2 * HOUR_MS }).tokens }];
    await expect(refreshedToken(tokens)).resolves.toBe('access-2');
    expect(refreshCalls()).toHaveLength(1);
  });

  it('is signed out when the refresh is rejected and the copy holds nothing later', async () => {
    const { clock, peer, copy, tokens, seen } = await signedIn(['invalid_grant']);
    peer.reads = [copy()];
    await clock.advance(HOUR_MS - 10 * 60_000);
    const failure = await tokens.refresh(corpSession).catch((error: unknown) => error);
    expect(isLatchkeyError(failure, 'signed_out')).toBe(true);
    expect(seen.filter((e) => e.type === 'signed-out')).toEqual([{ type: 'signed-out', session: 'corp', reason: 'refresh-rejected' }]);
  });
});
