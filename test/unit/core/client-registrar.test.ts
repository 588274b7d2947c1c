import { describe, expect, it } from 'vitest';
import { ClientRegistrar, PKCE_REDIRECT_URI } from '../../../main/core/client-registrar';
import type { IdentityCenterApis } from '../../../main/core/identity-center-api';
import { FakeClock } from '../../support/fake-clock';
import { FakePortal } from '../../support/fake-portal';
import { MemorySessionVault } from '../../support/memory-session-vault';
import { ScriptedOidc } from '../../support/scripted-oidc';
import { corpSession } from '../../support/session-fixture';

const DAY_MS = 24 * 3_600_000;

function setup() {
  const clock = new FakeClock({ startMs: 1_000_000_000_000 });
  const oidc = new ScriptedOidc([]);
  const apis: IdentityCenterApis = { oidc: () => oidc, portal: () => new FakePortal(() => clock.nowMs()) };
  const vault = new MemorySessionVault();
  const registrar = new ClientRegistrar({ vault, apis, clock, clientName: 'Latchkey on host' });
  return { clock, oidc, vault, registrar };
}

describe('ClientRegistrar', () => {
  it('registers once and reuses the stored registration', async () => {
    const { oidc, registrar } = setup();
    const first = await registrar.registrationFor(corpSession, 'device-code');
    const second = await registrar.registrationFor(corpSession, 'device-code');
    expect(second).toEqual(first);
    expect(oidc.registrations).toHaveLength(1);
    expect(first.expiresAtMs).toBe(4_000_000_000_000);
  });

  it('registers once for concurrent callers', async () => {
    const { oidc, registrar } = setup();
    await Promise.all(Array.from({ length: 20 }, () => registrar.registrationFor(corpSession, 'pkce')));
    expect(oidc.registrations).toHaveLength(1);
  });

  it('registers again for a sign-in once the secret has less than 30 days left, so a session of up to 30 days never outlives it', async () => {
    const { clock, oidc, vault, registrar } = setup();
    await registrar.registrationFor(corpSession, 'device-code');
    const stored = vault.registrations.get('corp');
    if (!stored) throw new Error('no registration stored');
    await clock.advance(stored.expiresAtMs - clock.nowMs() - 30 * DAY_MS - 60_000);
    await registrar.registrationFor(corpSession, 'device-code');
    expect(oidc.registrations).toHaveLength(1);
    await clock.advance(2 * 60_000);
    await registrar.registrationFor(corpSession, 'device-code');
    expect(oidc.registrations).toHaveLength(2);
  });

  it('registers for PKCE with the authorization_code grant and the loopback redirect', async () => {
    const { oidc, registrar } = setup();
    await registrar.registrationFor(corpSession, 'device-code');
    const pkce = await registrar.registrationFor(corpSession, 'pkce');
    expect(oidc.registrations).toHaveLength(2);
    expect(oidc.registrations[1]).toMatchObject({
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [PKCE_REDIRECT_URI],
      scopes: ['sso:account:access'],
    });
    expect(pkce.redirectUris).toEqual([PKCE_REDIRECT_URI]);
  });

  it.each([
    ['scopes_changed', { registrationScopes: ['sso:account:access', 'codewhisperer:completions'] }],
    ['region_changed', { region: 'eu-west-1' }],
    ['start_url_changed', { startUrl: 'https://other.awsapps.com/start' }],
  ])('registers again when the session changed: %s', async (_name, change) => {
    const { oidc, registrar } = setup();
    await registrar.registrationFor(corpSession, 'device-code');
    await registrar.registrationFor({ ...corpSession, ...change }, 'device-code');
    expect(oidc.registrations).toHaveLength(2);
  });

  it('registers again after forget', async () => {
    const { oidc, registrar } = setup();
    await registrar.registrationFor(corpSession, 'device-code');
    await registrar.forget(corpSession);
    await registrar.registrationFor(corpSession, 'device-code');
    expect(oidc.registrations).toHaveLength(2);
  });
});
