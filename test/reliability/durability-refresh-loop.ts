import { expect } from 'vitest';
import { checkAwsSsoCache, checkKeychain } from './durability-checks';
import type { DurabilityTally } from './durability-tally';
import { kill, randomDelayMs, sleep, SESSION, type AgentProcess, type DurabilityWorld } from './durability-world';

/**
 * The refresh kill loop, shared by the refresh scenario and the AWS CLI cache export one
 * (`latchkey_sync_aws_cache = true`, where every refresh is also written to the cache).
 * Tokens live one second (the emulator's `tokenTtlSeconds`), so each round's token request
 * finds the token expired and refreshes it: CreateToken(refresh_token), which rotates the
 * refresh token, then the keychain write, then the export.
 *
 * Where the kill lands decides what must hold, and each round tells which it was from the
 * outside (the emulator's CreateToken count, the keychain's refresh token):
 * - before CreateToken reached the emulator, or after the new tokens were in the keychain:
 *   the session is still signed in, serves a token and credentials, no sign-in again;
 * - between the two: the emulator spent the old refresh token and the new one died with the
 *   agent. No client can keep that sign-in (the replacement never reached it). What must hold
 *   then: every record whole, the session reported signed out with its reason at the first
 *   refresh, a plain "sign in" answer (never a crash or a hang), and a new sign-in works.
 */
export interface RefreshKillRound {
  outcome: 'survived' | 'lost-in-flight';
}

export async function refreshKillRound(world: DurabilityWorld, agent: AgentProcess, windowMs: number, tally: DurabilityTally): Promise<{ agent: AgentProcess; round: RefreshKillRound }> {
  const before = await checkKeychain(world);
  const oldRefreshToken = before.tokens?.refreshToken;
  expect(oldRefreshToken, 'a refresh token before the round').toBeDefined();
  // Until the token has expired, a token request would not refresh.
  await sleep(Math.max(0, (before.tokens?.accessTokenExpiresAtMs ?? 0) - Date.now() + 5));
  const createTokens = (await world.calls()).CreateToken;
  const signIns = (await world.calls()).StartDeviceAuthorization;
  const refreshing = world.request('GET', `/v1/sessions/${SESSION}/token`).catch(() => undefined);
  const delayMs = randomDelayMs(windowMs);
  await sleep(delayMs);
  await kill(agent);
  await refreshing;
  tally.kill(delayMs);

  const afterKill = await checkKeychain(world);
  const called = (await world.calls()).CreateToken > createTokens;
  const stored = afterKill.tokens?.refreshToken !== oldRefreshToken;
  const next = await world.startAgent();
  tally.restart();
  const reading = await checkKeychain(world);
  tally.checked(reading.records);
  if (world.syncAwsCache) await checkAwsSsoCache(world);
  if (called && !stored) {
    tally.count('killsWhileTheRotationWasInFlight');
    const answer = await world.request('GET', `/v1/sessions/${SESSION}/token`);
    if (answer.status === 200) {
      // The kill came before the emulator read the whole request: the old token was never spent.
      tally.count('inFlightButNotSpent');
      await expectSignedIn(world, signIns, tally);
      tally.survived();
      return { agent: next, round: { outcome: 'survived' } };
    }
    expect(answer.status, answer.text).toBe(401);
    expect(answer.json).toMatchObject({ error: { code: 'signed_out', message: expect.stringContaining(`run "latchkey login --session ${SESSION}"`) } });
    expect(await world.sessionState()).toBe('signed-out');
    expect((await checkKeychain(world)).tokens, 'the spent token record is gone').toBeUndefined();
    await world.signIn();
    await expectSignedIn(world, signIns + 1, tally);
    tally.lost();
    return { agent: next, round: { outcome: 'lost-in-flight' } };
  }
  tally.count(stored ? 'killsAfterTheKeychainWrite' : 'killsBeforeCreateToken');
  await expectSignedIn(world, signIns, tally);
  tally.survived();
  return { agent: next, round: { outcome: 'survived' } };
}

async function expectSignedIn(world: DurabilityWorld, signIns: number, tally: DurabilityTally): Promise<void> {
  expect(await world.sessionState()).toBe('signed-in');
  const token = await world.request('GET', `/v1/sessions/${SESSION}/token`);
  expect(token.status, token.text).toBe(200);
  const served = await world.credentials();
  expect(served.status, served.text).toBe(200);
  expect((await world.calls()).StartDeviceAuthorization).toBe(signIns);
  if (world.syncAwsCache) {
    // The export follows the sign-in's current token: what the AWS CLI reads can be refreshed.
    const tokens = (await checkKeychain(world)).tokens;
    const cache = await waitForCache(world, tokens?.accessToken);
    expect(cache?.refreshToken).toBe(tokens?.refreshToken);
    tally.count('cacheFilesChecked');
  }
}

async function waitForCache(world: DurabilityWorld, accessToken: string | undefined): Promise<{ refreshToken?: string } | undefined> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { entry } = await checkAwsSsoCache(world);
    if (entry !== undefined && entry.accessToken === accessToken) return entry;
    await sleep(20);
  }
  throw new Error('the AWS CLI cache never caught up with the keychain token');
}
