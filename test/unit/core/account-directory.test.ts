import { describe, expect, it } from 'vitest';
import { AccountDirectory } from '../../../main/core/account-directory';
import { isLatchkeyError } from '../../../main/core/errors';
import { mapWithConcurrency } from '../../../main/core/map-with-concurrency';
import { FakeClock } from '../../support/fake-clock';
import { FakePortal } from '../../support/fake-portal';
import { ScriptedOidc, sampleToken } from '../../support/scripted-oidc';
import { corpSession, sessionFixture } from '../../support/session-fixture';

async function setup(accounts: { accountId: string; roles: string[] }[]) {
  const clock = new FakeClock({ autoAdvance: true });
  const portal = new FakePortal(() => clock.nowMs(), accounts);
  const fixture = sessionFixture(clock, new ScriptedOidc([sampleToken()]), portal);
  await fixture.tokens.signIn(corpSession, { flow: 'device-code' });
  const directory = new AccountDirectory({ apis: fixture.apis, tokens: fixture.tokens, clock });
  return { clock, portal, directory, ...fixture };
}

const threeAccounts = [
  { accountId: '111111111111', roles: ['Developer', 'ReadOnly'] },
  { accountId: '222222222222', roles: ['ReadOnly'] },
  { accountId: '333333333333', roles: [] },
];

describe('AccountDirectory', () => {
  it('lists every account with its roles, in the portal order', async () => {
    const { directory } = await setup(threeAccounts);
    const listed = await directory.list(corpSession);
    expect(listed.map((a) => [a.accountId, a.roles])).toEqual([
      ['111111111111', ['Developer', 'ReadOnly']],
      ['222222222222', ['ReadOnly']],
      ['333333333333', []],
    ]);
  });

  it('backs off and retries when the portal throttles', async () => {
    const { clock, portal, directory } = await setup(threeAccounts);
    portal.failNext('throttled', 'throttled');
    const listed = await directory.list(corpSession);
    expect(listed).toHaveLength(3);
    expect(portal.count('ListAccounts')).toBe(3);
    expect(clock.sleeps.at(-1)).toBeGreaterThanOrEqual(1000);
  });

  it('marks the session signed out on a 401', async () => {
    const { portal, directory, seen } = await setup(threeAccounts);
    portal.failNext('unauthorized');
    const error = await directory.list(corpSession).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'signed_out')).toBe(true);
    expect(seen.at(-1)).toMatchObject({ type: 'signed-out', reason: 'token-rejected' });
  });
});

describe('mapWithConcurrency', () => {
  it('never runs more than the limit at once and keeps the order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (i) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 1));
        running -= 1;
        return i * 2;
      },
    );
    expect(peak).toBe(4);
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
  });
});
