import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AgentHarness } from '../integration/agent/agent-harness';
import { EmulatorAdmin } from '../support/emulator-admin';
import { ShiftedClock } from '../support/shifted-clock';
import { recordCounts } from './suite-size';

// A real agent in front of the emulator, its wall clock moved (ShiftedClock) while its
// timers keep real time, as Node's run on the monotonic clock. A laptop that sleeps
// moves both the agent's clock and AWS's (the emulator's); a clock set by hand moves
// only the agent's. Tokens live an hour, role credentials an hour.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

interface Credentials {
  AccessKeyId: string;
  Expiration: string;
}

let harness: AgentHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const tried: { scenario: string; movedMs: number; refreshedWithinMs: number | undefined }[] = [];
afterAll(() => recordCounts('clock-jumps-agent', { scenarios: tried.length, tried }));

async function signedInWithCredentials() {
  const clock = new ShiftedClock();
  harness = await AgentHarness.start({ agent: { clock } });
  await harness.signIn();
  const first = (await harness.request('GET', '/v1/credentials?profile=dev')).json as Credentials;
  const admin = new EmulatorAdmin(harness.emulator.baseUrl);
  await admin.call('POST', 'reset');
  return { clock, admin, agent: harness, first };
}

/** How long after the move the agent's own refresher renewed the token, with no request asking. */
async function refreshedWithin(admin: EmulatorAdmin, limitMs: number): Promise<number | undefined> {
  const startedAt = performance.now();
  while (performance.now() - startedAt < limitMs) {
    if ((await admin.calls()).CreateToken > 0) return performance.now() - startedAt;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}

describe('the agent when the wall clock jumps or the laptop sleeps', () => {
  it.each([
    { scenario: 'laptop asleep through the refresh point', movedMs: 45 * MINUTE_MS },
    { scenario: 'laptop asleep overnight, through every expiry', movedMs: 14 * HOUR_MS },
  ])('$scenario: refreshes at once on waking and serves new credentials, never the expired ones', async ({ scenario, movedMs }) => {
    const { clock, admin, agent, first } = await signedInWithCredentials();

    // AWS's clock never stopped: it is ahead by the time the laptop reads its own again.
    await admin.advanceSeconds(movedMs / 1000);
    clock.advance(movedMs);
    const refreshedMs = await refreshedWithin(admin, 2_000);
    const after = await agent.request('GET', '/v1/credentials?profile=dev');
    tried.push({ scenario, movedMs, refreshedWithinMs: refreshedMs });

    expect(refreshedMs, 'the refresher renewed the token without being asked').toBeDefined();
    expect(after.status).toBe(200);
    const served = after.json as Credentials;
    expect(Date.parse(served.Expiration)).toBeGreaterThan(clock.nowMs() + 15 * MINUTE_MS);
    if (movedMs >= HOUR_MS) expect(served.AccessKeyId).not.toBe(first.AccessKeyId);
    expect((await admin.calls()).StartDeviceAuthorization).toBe(0);
  });

  it('clock set back two hours: the credentials held are still served, not judged expired, and nothing is fetched twice', async () => {
    const { clock, admin, agent, first } = await signedInWithCredentials();

    clock.advance(-2 * HOUR_MS);
    const again = await agent.request('GET', '/v1/credentials?profile=dev');
    tried.push({ scenario: 'clock set back', movedMs: -2 * HOUR_MS, refreshedWithinMs: undefined });

    expect(again.status).toBe(200);
    expect((again.json as Credentials).AccessKeyId).toBe(first.AccessKeyId);
    expect(await admin.calls()).toMatchObject({ CreateToken: 0, GetRoleCredentials: 0 });
  });

  it('clock set forward three hours on this machine alone: serves no credentials its own clock calls expired, and says to check the clock', async () => {
    const { clock, agent } = await signedInWithCredentials();

    clock.advance(3 * HOUR_MS);
    const after = await agent.request('GET', '/v1/credentials?profile=dev');
    tried.push({ scenario: 'clock set forward, AWS not', movedMs: 3 * HOUR_MS, refreshedWithinMs: undefined });

    // AWS's credentials end an hour from AWS's now, two hours before this clock's now.
    expect(after.status).toBe(502);
    expect(after.json).toEqual({
      error: {
        code: 'malformed_response',
        message: 'GetRoleCredentials returned credentials for role "Developer" in account 111111111111 that have already expired; check this computer\'s clock.',
      },
    });
  });
});
