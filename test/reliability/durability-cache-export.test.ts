import { describe, expect, it } from 'vitest';
import { checkAwsSsoCache, checkKeychain } from './durability-checks';
import { killDuringSignIn } from './durability-sign-in-kill';
import { durabilitySuite } from './durability-suite';
import { refreshKillRound } from './durability-refresh-loop';
import { type DurabilityWorld, SESSION, sleep } from './durability-world';
import { suiteSize, timeoutFor } from './suite-size';

/**
 * Issue 14, part 2: SIGKILL the agent while it exports a session to the AWS CLI's SSO
 * cache (`latchkey_sync_aws_cache = true`): during the sign-in's first export, and during
 * each refresh (keychain write, then the cache file). After each restart the cache file
 * parses as botocore reads it, holds the keychain's current tokens once the agent has
 * resumed (so the AWS CLI can refresh with it), and nothing needs a second sign-in.
 */

const suite = await durabilitySuite('cache-export', 'AWS CLI cache');
const { skip, tally } = suite;

/**
 * The scenario's kills, split between its two moments: refreshes are also the refresh
 * scenario's (durability-refresh.test.ts), so half of them here keeps the short run in CI's time.
 */
const REFRESH_KILLS = Math.ceil(suiteSize.kills / 2);
const SIGN_IN_KILLS = suiteSize.kills - REFRESH_KILLS;

describe.skipIf(skip !== undefined)('SIGKILL while the AWS CLI SSO cache is written', () => {
  it(`keeps the cache file whole and current through ${REFRESH_KILLS} kills during refreshes`, async () => {
    const w = await suite.world({ emulator: { tokenTtlSeconds: 1 }, syncAwsCache: true });
    let agent = await w.startAgent();
    await w.signIn();
    // The window: the longest of three refreshes with their export, from the token request until the file holds the new token.
    let windowMs = 0;
    for (let run = 0; run < 3; run += 1) {
      await sleep(Math.max(0, ((await checkKeychain(w)).tokens?.accessTokenExpiresAtMs ?? 0) - Date.now() + 5));
      windowMs = Math.max(windowMs, await w.measureMs(() => refreshAndExport(w), 1));
    }
    for (let round = 0; round < REFRESH_KILLS; round += 1) {
      agent = (await refreshKillRound(w, agent, windowMs, tally)).agent;
    }
  }, timeoutFor(REFRESH_KILLS, 4_000, 30_000));

  it(`keeps the cache file whole through ${SIGN_IN_KILLS} kills during the first export after a sign-in`, async () => {
    const w = await suite.world({ syncAwsCache: true });
    let agent = await w.startAgent();
    const windowMs = await w.measureMs(async () => {
      await w.signIn();
      await waitForCacheFile(w);
    }, 1);
    for (let round = 0; round < SIGN_IN_KILLS; round += 1) {
      const signIns = (await w.calls()).StartDeviceAuthorization;
      expect((await w.request('POST', `/v1/sessions/${SESSION}/sign-out`)).status).toBe(204);
      agent = (await killDuringSignIn(w, agent, windowMs, tally)).agent;
      const cache = await checkAwsSsoCache(w);
      if ((await w.sessionState()) !== 'signed-in') {
        // The sign-in never reached the keychain (the export comes after it), and the sign-out before it removed its file.
        expect(cache.entry, 'no cache file without a sign-in').toBeUndefined();
        tally.count('signInsCutShort');
        // The kill may have come before the cut-short sign-in asked for its code (while it registered).
        const afterRestart = (await w.calls()).StartDeviceAuthorization;
        expect(afterRestart - signIns).toBeLessThanOrEqual(1);
        await w.signIn();
        expect((await w.calls()).StartDeviceAuthorization).toBe(afterRestart + 1);
      } else {
        expect((await w.calls()).StartDeviceAuthorization).toBe(signIns + 1);
      }
      const tokens = (await checkKeychain(w)).tokens;
      expect((await waitForCacheFile(w, tokens?.accessToken)).refreshToken).toBe(tokens?.refreshToken);
      expect((await w.credentials()).status).toBe(200);
      tally.survived();
    }
  }, timeoutFor(SIGN_IN_KILLS, 5_000, 30_000));
});

async function refreshAndExport(w: DurabilityWorld): Promise<void> {
  await w.request('GET', `/v1/sessions/${SESSION}/token`);
  await waitForCacheFile(w, (await checkKeychain(w)).tokens?.accessToken);
}

async function waitForCacheFile(w: DurabilityWorld, accessToken?: string): Promise<{ refreshToken?: string }> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { entry } = await checkAwsSsoCache(w);
    if (entry !== undefined && (accessToken === undefined || entry.accessToken === accessToken)) return entry;
    await sleep(10);
  }
  throw new Error('the AWS CLI cache file never held the token');
}
