import { describe, expect, it } from 'vitest';
import { secretRecordKey } from '../../main/core/secret-records-keys';
import { checkKeychain } from './durability-checks';
import { durabilitySuite } from './durability-suite';
import { kill, randomDelayMs, SESSION, sleep, type AgentProcess } from './durability-world';
import { suiteSize, timeoutFor } from './suite-size';

/**
 * Issue 14, part 2: SIGKILL the agent while it caches role credentials
 * (GetRoleCredentials, then the keychain write), at a random moment within the time the
 * operation takes, many times. After each restart every record reads back whole, the
 * session is still signed in and serves credentials, and no sign-in was needed again.
 */

const suite = await durabilitySuite('credentials', 'credential-caching');
const { skip, tally } = suite;

describe.skipIf(skip !== undefined)('SIGKILL while role credentials are fetched and cached', () => {
  it(`keeps the session and every record whole through ${suiteSize.kills} kills`, async () => {
    const w = await suite.world();
    let agent: AgentProcess = await w.startAgent();
    await w.signIn();
    const signIns = (await w.calls()).StartDeviceAuthorization;
    const roles = await w.addRoles(suiteSize.kills + 3);
    // The window: how long one fetch-and-cache takes, from the request to its answer (roles no agent holds yet).
    const windowMs = await w.measureRolesMs(roles.slice(0, 3));
    for (const role of roles.slice(3)) {
      const calls = (await w.calls()).GetRoleCredentials;
      const fetching = w.credentials(role).catch(() => undefined);
      const delayMs = randomDelayMs(windowMs);
      await sleep(delayMs);
      await kill(agent);
      await fetching;
      tally.kill(delayMs);
      const key = secretRecordKey({ kind: 'role', session: SESSION, ...role });
      const cachedBeforeRestart = (await w.store.keys()).includes(key);
      if (cachedBeforeRestart) tally.count('killsAfterTheKeychainWrite');
      else tally.count(((await w.calls()).GetRoleCredentials > calls ? 'killsBetweenTheCallAndTheWrite' : 'killsBeforeTheCall'));

      agent = await w.startAgent();
      tally.restart();
      const reading = await checkKeychain(w);
      tally.checked(reading.records);
      expect(reading.tokens, 'the token record').toBeDefined();
      expect(await w.sessionState()).toBe('signed-in');
      const served = await w.credentials(role);
      expect(served.status, served.text).toBe(200);
      expect((served.json as { AccessKeyId: string }).AccessKeyId).toMatch(/^ASIA/);
      // Cached whole before the kill: served from the keychain, no second call.
      if (cachedBeforeRestart) expect((await w.calls()).GetRoleCredentials).toBe(calls + 1);
      expect((await checkKeychain(w)).records).toBe(reading.records + (cachedBeforeRestart ? 0 : 1));
      expect((await w.calls()).StartDeviceAuthorization).toBe(signIns);
      tally.survived();
    }
  }, timeoutFor(suiteSize.kills, 2_500, 30_000));
});
