import { afterEach, describe, expect, it } from 'vitest';
import { isLatchkeyError } from '../../../main/core/errors';
import { silentLogger } from '../../../main/core/logger';
import { RoleCredentials } from '../../../main/core/role-credentials';
import { FakeClock } from '../../support/fake-clock';
import { FakePortal } from '../../support/fake-portal';
import { ScriptedOidc, sampleToken } from '../../support/scripted-oidc';
import { corpSession, sessionFixture } from '../../support/session-fixture';

const MINUTE_MS = 60_000;
let credentials: RoleCredentials | undefined;
afterEach(() => credentials?.dispose());

async function setup(options: { credentialsTtlMs?: number } = {}) {
  const clock = new FakeClock();
  const portal = new FakePortal(() => clock.nowMs(), undefined, options.credentialsTtlMs);
  const oidc = new ScriptedOidc([sampleToken({ expiresIn: 8 * 3600 })]);
  const fixture = sessionFixture(clock, oidc, portal);
  const signIn = fixture.tokens.signIn(corpSession, { flow: 'device-code' });
  await clock.advance(1000);
  await signIn;
  const make = () => new RoleCredentials({ vault: fixture.vault, apis: fixture.apis, tokens: fixture.tokens, clock, logger: silentLogger });
  credentials = make();
  return { clock, portal, credentials, make, ...fixture };
}

describe('RoleCredentials', () => {
  it('shares one GetRoleCredentials call among 200 concurrent callers for one role', async () => {
    const { portal, credentials } = await setup();
    const results = await Promise.all(Array.from({ length: 200 }, () => credentials.get(corpSession, '111111111111', 'Developer')));
    expect(portal.count('GetRoleCredentials')).toBe(1);
    expect(new Set(results.map((r) => r.accessKeyId)).size).toBe(1);
  });

  it('serves from cache while more than 15 minutes remain, and fetches anew inside them', async () => {
    // Three-hour credentials unused for two hours are not renewed in the background.
    const { clock, portal, credentials } = await setup({ credentialsTtlMs: 180 * MINUTE_MS });
    const first = await credentials.get(corpSession, '111111111111', 'Developer');
    await clock.advance(164 * MINUTE_MS);
    expect((await credentials.get(corpSession, '111111111111', 'Developer')).accessKeyId).toBe(first.accessKeyId);
    await clock.advance(2 * MINUTE_MS);
    const renewed = await credentials.get(corpSession, '111111111111', 'Developer');
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(renewed.expiresAtMs - clock.nowMs()).toBeGreaterThan(15 * MINUTE_MS);
    expect(portal.count('GetRoleCredentials')).toBe(2);
  });

  it('costs no call after a restart: the keychain copy is used', async () => {
    const { portal, credentials, make } = await setup();
    await credentials.get(corpSession, '111111111111', 'Developer');
    credentials.dispose();
    const restarted = make();
    await restarted.get(corpSession, '111111111111', 'Developer');
    restarted.dispose();
    expect(portal.count('GetRoleCredentials')).toBe(1);
  });

  it('fetches credentials per role', async () => {
    const { portal, credentials } = await setup();
    const dev = await credentials.get(corpSession, '111111111111', 'Developer');
    const ro = await credentials.get(corpSession, '111111111111', 'ReadOnly');
    expect(dev.accessKeyId).not.toBe(ro.accessKeyId);
    expect(portal.count('GetRoleCredentials')).toBe(2);
  });

  it('renews credentials of a recently used role in the background before they get short', async () => {
    const { clock, portal, credentials } = await setup();
    await credentials.get(corpSession, '111111111111', 'Developer');
    await clock.advance(40 * MINUTE_MS);
    expect(portal.count('GetRoleCredentials')).toBe(2);
    await credentials.get(corpSession, '111111111111', 'Developer');
    expect(portal.count('GetRoleCredentials')).toBe(2);
  });

  it('stops renewing a role nobody has used for an hour', async () => {
    const { clock, portal, credentials } = await setup();
    await credentials.get(corpSession, '111111111111', 'Developer');
    await clock.advance(5 * 60 * MINUTE_MS);
    expect(portal.count('GetRoleCredentials')).toBe(2);
  });

  it('turns a 401 into one signed-out event and no retry', async () => {
    const { portal, credentials, seen, vault } = await setup();
    portal.failNext('unauthorized');
    const errors = await Promise.all(Array.from({ length: 20 }, () => credentials.get(corpSession, '111111111111', 'Developer').catch((e: unknown) => e)));
    expect(errors.every((e) => isLatchkeyError(e, 'signed_out'))).toBe(true);
    expect(portal.count('GetRoleCredentials')).toBe(1);
    expect(seen.filter((e) => e.type === 'signed-out')).toEqual([{ type: 'signed-out', session: 'corp', reason: 'token-rejected' }]);
    expect(vault.tokenSets.has('corp')).toBe(false);
  });

  it.each([['forbidden'], ['not_found']] as const)('names the account and role on %s', async (code) => {
    const { portal, credentials } = await setup();
    portal.failNext(code);
    const error = await credentials.get(corpSession, '222222222222', 'Admin').catch((e: unknown) => e);
    expect(isLatchkeyError(error, code)).toBe(true);
    expect((error as Error).message).toContain('"Admin" in account 222222222222');
  });
});
