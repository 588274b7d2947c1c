import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig, checkKeychain } from './durability-checks';
import { durabilitySuite } from './durability-suite';
import { type DurabilityWorld, kill, randomDelayMs, SESSION, sleep } from './durability-world';
import { suiteSize, timeoutFor } from './suite-size';

/**
 * Issue 14, part 2: SIGKILL `latchkey setup-profiles` (the process that rewrites the AWS
 * config: a backup, then a temporary file renamed over the config) and the agent it asks
 * for the accounts, many times: at a random moment within the time the command takes, and
 * in every other round at the moment its temporary file appears, so the kill lands inside
 * the write. After each restart the config parses, the user's lines outside Latchkey's
 * block are byte for byte as written, the block is whole or absent, the backup is a whole
 * earlier file, the keychain is whole, and the session still serves without a sign-in.
 */

const suite = await durabilitySuite('setup-profiles', 'setup-profiles');
const { skip, tally } = suite;

/** Each round asks for another region, so the block really changes and the file is written. */
const REGIONS = ['eu-west-1', 'us-west-2', 'ap-northeast-1'];

describe.skipIf(skip !== undefined)('SIGKILL during setup-profiles', () => {
  it(`keeps the AWS config whole and the user's lines untouched through ${suiteSize.kills} kills`, async () => {
    const w = await suite.world();
    let agent = await w.startAgent();
    await w.signIn();
    const signIns = (await w.calls()).StartDeviceAuthorization;
    const setup = (round: number, signal?: AbortSignal): ReturnType<DurabilityWorld['runCli']> =>
      w.runCli(['setup-profiles', '--session', SESSION, '--refresh', '--region', REGIONS[round % REGIONS.length] ?? 'eu-west-1'], signal);
    const windowMs = await w.measureMs(async () => {
      const run = await setup(1);
      expect(run.code, run.stderr).toBe(0);
    }, 2);
    for (let round = 0; round < suiteSize.kills; round += 1) {
      const killer = new AbortController();
      const running = setup(round, killer.signal);
      const delayMs = round % 2 === 0 ? randomDelayMs(windowMs) : await untilTempFile(w.configFile, windowMs * 2);
      if (round % 2 === 0) await sleep(delayMs);
      killer.abort();
      await kill(agent);
      const run = await running;
      tally.kill(delayMs);
      tally.count(run.code === 0 ? 'killsAfterTheCommandFinished' : round % 2 === 0 ? 'randomKillsMidCommand' : 'killsInsideTheWrite');

      agent = await w.startAgent();
      tally.restart();
      const config = await checkConfig(w);
      tally.count('strayTempFiles', config.strayTempFiles);
      tally.checked((await checkKeychain(w)).records + 1);
      expect(await w.sessionState()).toBe('signed-in');
      expect((await w.credentials()).status).toBe(200);
      // The command run again completes the block from whatever the kill left.
      const again = await setup(round);
      expect(again.code, again.stderr).toBe(0);
      const after = await checkConfig(w);
      expect(after.hasBlock).toBe(true);
      expect((await w.calls()).StartDeviceAuthorization).toBe(signIns);
      tally.survived();
    }
  }, timeoutFor(suiteSize.kills, 4_000, 30_000));
});

/** Polls the config's directory until a write's temporary file is there; returns how long that took. */
async function untilTempFile(configFile: string, limitMs: number): Promise<number> {
  const startedMs = performance.now();
  while (performance.now() - startedMs < limitMs) {
    const names = await readdir(dirname(configFile));
    if (names.some((name) => name.startsWith('.config.') && name.endsWith('.tmp'))) break;
    await sleep(1);
  }
  return Math.round(performance.now() - startedMs);
}
