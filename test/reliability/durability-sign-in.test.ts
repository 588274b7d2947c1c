import { describe, expect, it } from 'vitest';
import { killDuringSignIn } from './durability-sign-in-kill';
import { durabilitySuite } from './durability-suite';
import { SESSION } from './durability-world';
import { suiteSize, timeoutFor } from './suite-size';

/**
 * Issue 14, part 2: SIGKILL the agent during a device-code sign-in (RegisterClient,
 * StartDeviceAuthorization, polling CreateToken, the registration and token writes), at a
 * random moment within the time a sign-in takes, many times. After each restart every
 * record reads back whole; the session is either signed in and serving (the tokens
 * reached the keychain: no second sign-in is ever asked) or plainly signed out with
 * nothing half-done, and one new sign-in completes it, reusing a registration the
 * keychain kept.
 */

const suite = await durabilitySuite('sign-in', 'sign-in');
const { skip, tally } = suite;

describe.skipIf(skip !== undefined)('SIGKILL during a sign-in', () => {
  it(`leaves a whole sign-in or none, through ${suiteSize.kills} kills`, async () => {
    const w = await suite.world();
    let agent = await w.startAgent();
    // The window: a whole sign-in with its first registration, the longest of it.
    const windowMs = await w.measureMs(async () => {
      await w.signIn();
      await w.request('POST', `/v1/sessions/${SESSION}/sign-out`);
    }, 2);
    for (let round = 0; round < suiteSize.kills; round += 1) {
      // Every other round signs in from nothing (no registration either), the others with a kept registration.
      if (round % 2 === 0) for (const key of await w.store.keys()) await w.store.delete(key);
      const before = await w.calls();
      const killed = await killDuringSignIn(w, agent, windowMs, tally);
      agent = killed.agent;
      const reading = killed.reading;
      const state = await w.sessionState();
      expect(['signed-in', 'signed-out']).toContain(state);
      const atRestart = await w.calls();
      if (state === 'signed-in') {
        tally.count('killsAfterTheTokenWrite');
        expect(reading.tokens).toBeDefined();
      } else {
        tally.count(reading.registration === undefined ? 'killsBeforeTheRegistrationWrite' : 'killsBeforeTheTokenWrite');
        expect(reading.tokens, 'no token record without a finished sign-in').toBeUndefined();
        expect((await w.credentials()).json).toMatchObject({ error: { code: 'signed_out' } });
        await w.signIn();
        // A registration the keychain kept is used again: no new RegisterClient.
        if (reading.registration !== undefined) expect((await w.calls()).RegisterClient).toBe(atRestart.RegisterClient);
        expect((await w.calls()).StartDeviceAuthorization).toBe(atRestart.StartDeviceAuthorization + 1);
      }
      const served = await w.credentials();
      expect(served.status, served.text).toBe(200);
      // Signed in now: a restart needs no sign-in.
      const signIns = (await w.calls()).StartDeviceAuthorization;
      expect(signIns - before.StartDeviceAuthorization).toBeLessThanOrEqual(2);
      expect(await w.sessionState()).toBe('signed-in');
      tally.survived();
      expect((await w.request('POST', `/v1/sessions/${SESSION}/sign-out`)).status).toBe(204);
    }
  }, timeoutFor(suiteSize.kills, 5_000, 30_000));
});
