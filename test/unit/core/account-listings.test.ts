import { describe, expect, it } from 'vitest';
import { AccountDirectory, type AccountListingProgress } from '../../../main/core/account-directory';
import { AccountListings } from '../../../main/core/account-listings';
import { ACCOUNT_LISTING_REUSE_MS } from '../../../main/core/time-windows';
import { FakeClock } from '../../support/fake-clock';
import { FakePortal } from '../../support/fake-portal';
import { ScriptedOidc, sampleToken } from '../../support/scripted-oidc';
import { corpSession, sessionFixture } from '../../support/session-fixture';

const accounts = [
  { accountId: '111111111111', roles: ['Developer', 'ReadOnly'] },
  { accountId: '222222222222', roles: ['ReadOnly'] },
  { accountId: '333333333333', roles: [] },
];

async function setup() {
  const clock = new FakeClock({ autoAdvance: true });
  const portal = new FakePortal(() => clock.nowMs(), accounts);
  const fixture = sessionFixture(clock, new ScriptedOidc([sampleToken()]), portal);
  await fixture.tokens.signIn(corpSession, { flow: 'device-code' });
  const listings = new AccountListings(new AccountDirectory({ apis: fixture.apis, tokens: fixture.tokens, clock }), clock);
  return { clock, portal, listings };
}

describe('AccountListings', () => {
  it('reuses a listing made within the reuse window', async () => {
    const { portal, listings } = await setup();
    const first = await listings.list(corpSession);
    const second = await listings.list(corpSession);
    expect(second).toEqual(first);
    expect(portal.count('ListAccounts')).toBe(1);
    expect(portal.count('ListAccountRoles')).toBe(3);
  });

  it('lists again once the reuse window has passed', async () => {
    const { clock, portal, listings } = await setup();
    await listings.list(corpSession);
    await clock.sleep(ACCOUNT_LISTING_REUSE_MS);
    await listings.list(corpSession);
    expect(portal.count('ListAccounts')).toBe(2);
  });

  it('lists again at once when asked to refresh', async () => {
    const { portal, listings } = await setup();
    await listings.list(corpSession);
    await listings.list(corpSession, { refresh: true });
    expect(portal.count('ListAccounts')).toBe(2);
  });

  it('lists again after the session signed in or out (forget)', async () => {
    const { portal, listings } = await setup();
    await listings.list(corpSession);
    listings.forget(corpSession.name);
    await listings.list(corpSession);
    expect(portal.count('ListAccounts')).toBe(2);
  });

  it('does not keep a listing that was running when the session was forgotten', async () => {
    const { portal, listings } = await setup();
    const running = listings.list(corpSession);
    listings.forget(corpSession.name);
    await running;
    await listings.list(corpSession);
    expect(portal.count('ListAccounts')).toBe(2);
  });

  it('treats another start URL under the same name as another directory', async () => {
    const { portal, listings } = await setup();
    await listings.list(corpSession);
    await listings.list({ ...corpSession, startUrl: 'https://other.example.com/start' });
    expect(portal.count('ListAccounts')).toBe(2);
  });

  it('shares one listing between concurrent callers, refresh included, and each hears its progress', async () => {
    const { portal, listings } = await setup();
    const heardFirst: AccountListingProgress[] = [];
    const heardSecond: AccountListingProgress[] = [];
    const [a, b] = await Promise.all([
      listings.list(corpSession, { onProgress: (p) => heardFirst.push(p) }),
      listings.list(corpSession, { refresh: true, onProgress: (p) => heardSecond.push(p) }),
    ]);
    expect(b).toBe(a);
    expect(portal.count('ListAccounts')).toBe(1);
    const expected = [0, 1, 2, 3].map((accountsListed) => ({ accountsListed, accountsTotal: 3 }));
    expect(heardFirst).toEqual(expected);
    expect(heardSecond).toEqual(expected);
  });

  it('keeps nothing after a failed listing', async () => {
    const { portal, listings } = await setup();
    portal.failNext('server_error');
    await expect(listings.list(corpSession)).rejects.toThrow();
    await listings.list(corpSession);
    await listings.list(corpSession);
    expect(portal.count('ListAccounts')).toBe(2);
  });
});
