import { describe, expect, it } from 'vitest';
import { checkKeychain } from './durability-checks';
import { durabilitySuite } from './durability-suite';
import { refreshKillRound } from './durability-refresh-loop';
import { kill, SESSION, sleep } from './durability-world';
import { suiteSize, timeoutFor } from './suite-size';

/**
 * Issue 14, part 2: SIGKILL the agent while it refreshes a token (CreateToken with the
 * refresh token, then the keychain write), at a random moment within the time a refresh
 * takes, many times; then at two exact points. See durability-refresh-loop.ts for what
 * must hold where the kill lands.
 */

const suite = await durabilitySuite('refresh', 'refresh');
const { skip, tally } = suite;

describe.skipIf(skip !== undefined)('SIGKILL while a token is refreshed', () => {
  it(`keeps every record whole and the session signed in unless the kill lands while the rotation is in flight, through ${suiteSize.kills} kills`, async () => {
    const w = await suite.world({ emulator: { tokenTtlSeconds: 1 } });
    let agent = await w.startAgent();
    await w.signIn();
    // The window: the longest of three refreshes, from the token request to its answer.
    let windowMs = 0;
    for (let run = 0; run < 3; run += 1) {
      await sleep(Math.max(0, ((await checkKeychain(w)).tokens?.accessTokenExpiresAtMs ?? 0) - Date.now() + 5));
      windowMs = Math.max(windowMs, await w.measureMs(() => w.request('GET', `/v1/sessions/${SESSION}/token`), 1));
    }
    for (let round = 0; round < suiteSize.kills; round += 1) {
      agent = (await refreshKillRound(w, agent, windowMs, tally)).agent;
    }
  }, timeoutFor(suiteSize.kills, 4_000, 30_000));

  it('keeps the session when the kill comes right after the refresh answered', async () => {
    const w = await suite.world({ emulator: { tokenTtlSeconds: 1 } });
    let agent = await w.startAgent();
    await w.signIn();
    const signIns = (await w.calls()).StartDeviceAuthorization;
    await sleep(1_010);
    const refreshed = await w.request('GET', `/v1/sessions/${SESSION}/token`);
    expect(refreshed.status).toBe(200);
    await kill(agent);
    tally.kill(0);
    agent = await w.startAgent();
    tally.restart();
    tally.checked((await checkKeychain(w)).records);
    expect(await w.sessionState()).toBe('signed-in');
    const again = await w.request('GET', `/v1/sessions/${SESSION}/token`);
    expect(again.status, again.text).toBe(200);
    expect((await w.calls()).StartDeviceAuthorization).toBe(signIns);
    tally.survived();
    tally.count('exactKillsAfterTheAnswer');
  }, 30_000);

  it('loses the sign-in, and says so plainly, when the kill lands while the rotated refresh token is on its way back', async () => {
    const w = await suite.world({ emulator: { tokenTtlSeconds: 1 }, holdAnswers: true });
    let agent = await w.startAgent();
    await w.signIn();
    await sleep(1_010);
    // The emulator has spent the old refresh token and issued the new one; its answer never arrives.
    const held = w.holder?.holdNext('/token');
    const refreshing = w.request('GET', `/v1/sessions/${SESSION}/token`).catch(() => undefined);
    await held;
    await kill(agent);
    await refreshing;
    tally.kill(0);
    agent = await w.startAgent();
    tally.restart();
    tally.checked((await checkKeychain(w)).records);
    const answer = await w.request('GET', `/v1/sessions/${SESSION}/token`);
    expect(answer.status, answer.text).toBe(401);
    expect(answer.json).toMatchObject({ error: { code: 'signed_out', message: expect.stringContaining(`run "latchkey login --session ${SESSION}"`) } });
    const status = await w.request('GET', '/v1/status');
    expect((status.json as { sessions: { state: string; signedOut?: { reason: string } }[] }).sessions[0]).toMatchObject({
      state: 'signed-out',
      signedOut: { reason: 'ended-by-aws' },
    });
    expect((await checkKeychain(w)).registration, 'the registration stays for the next sign-in').toBeDefined();
    const registrations = (await w.calls()).RegisterClient;
    await w.signIn();
    expect((await w.calls()).RegisterClient).toBe(registrations);
    expect((await w.credentials()).status).toBe(200);
    tally.lost();
    tally.count('exactKillsWhileTheRotationWasInFlight');
  }, 30_000);
});
