import { randomUUID } from 'node:crypto';
import { afterAll, afterEach } from 'vitest';
import { keyringSkipReason } from '../support/test-keyring';
import { DurabilityTally } from './durability-tally';
import { DurabilityWorld, removeBuiltCli, type WorldOptions } from './durability-world';
import { suiteSize, timeoutFor } from './suite-size';

export interface DurabilitySuite {
  /** Why the scenario cannot run here (no working test keyring), else undefined. */
  readonly skip: string | undefined;
  readonly tally: DurabilityTally;
  /** A fresh world for the running test, closed after it. */
  world(options?: WorldOptions): Promise<DurabilityWorld>;
}

/**
 * What every durability scenario file shares: the keyring check (said once when it
 * skips), a world per test closed after it, the tally recorded and the built CLI removed
 * at the end. Call at the top level of the file.
 */
export async function durabilitySuite(scenario: string, what: string): Promise<DurabilitySuite> {
  const skip = await keyringSkipReason(`latchkey-test-${randomUUID()}`);
  if (skip !== undefined) console.warn(`Skipping the ${what} durability test: ${skip}`);
  const tally = new DurabilityTally(scenario);
  let current: DurabilityWorld | undefined;

  // Closing removes every record the world made: at soak size that is hundreds of keyring calls.
  afterEach(async () => {
    await current?.close();
    current = undefined;
  }, timeoutFor(suiteSize.kills, 200));

  afterAll(async () => {
    tally.record();
    await removeBuiltCli();
  });

  return {
    skip,
    tally,
    async world(options?: WorldOptions): Promise<DurabilityWorld> {
      current = await DurabilityWorld.create(options);
      return current;
    },
  };
}
