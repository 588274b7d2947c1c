import { randomUUID } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { recordCounts, suiteSize, timeoutFor } from './suite-size';
import { keyringSkipReason } from '../support/test-keyring';
import { DurabilityWorld, kill, ready, removeBuiltCli, type AgentProcess } from './durability-world';

/**
 * Issue 14, part 2: two `latchkey agent` processes started at the same moment, over and
 * over: exactly one serves, the other exits 1 with the "another agent" sentence (naming
 * the survivor's pid when it could ask it), the socket answers as the survivor, and a
 * client gets answers. Rounds alternate between no socket file and the stale file of an
 * agent that was SIGKILLed, so both race to replace it. (Several CLI calls starting one
 * agent at once are test/integration/cli/agent-autostart.test.ts.)
 */

const skip = await keyringSkipReason(`latchkey-test-${randomUUID()}`);
if (skip !== undefined) console.warn(`Skipping the agent race test: ${skip}`);

let world: DurabilityWorld | undefined;
const counts = { rounds: 0, roundsOverAStaleSocket: 0, survivors: 0, refusedWithPid: 0, refusedWithoutPid: 0, strayFilesInTheSocketDirectory: 0, failuresFound: 0 };

afterEach(async () => {
  await world?.close();
  world = undefined;
});

afterAll(async () => {
  if (counts.rounds > 0) recordCounts('agent-race', counts);
  await removeBuiltCli();
});

const REFUSAL = /^latchkey: Another Latchkey agent(?: \(pid (\d+)\))? is already running on (.+), and the other latchkey commands use it, so there is no need to start one; to run this one in the foreground instead, stop that one first \((?:kill \d+|quit the Latchkey app, or end the "latchkey agent" process)\)\.\n$/;

describe.skipIf(skip !== undefined)('two agents started at the same moment', () => {
  it(`leave exactly one serving, ${suiteSize.agentRaces} times over`, async () => {
    const w = await DurabilityWorld.create();
    world = w;
    let survivor: AgentProcess | undefined;
    for (let round = 0; round < suiteSize.agentRaces; round += 1) {
      counts.rounds += 1;
      counts.failuresFound += 1;
      const overStale = round % 2 === 1;
      if (survivor !== undefined) {
        if (overStale) await kill(survivor);
        else {
          survivor.child.kill('SIGTERM');
          expect(await survivor.exited).toBe(0);
        }
      }
      if (overStale) {
        expect((await lstat(w.socketPath)).isSocket(), 'the killed agent left its socket file').toBe(true);
        counts.roundsOverAStaleSocket += 1;
      }
      const racers = [w.spawnAgent(), w.spawnAgent()];
      const outcomes = await Promise.all(racers.map((racer) => Promise.race([ready(racer).then(() => 'ready' as const), racer.exited.then(() => 'exited' as const)])));
      // A racer that printed ready may still be the one that exits: wait for the loser's exit.
      const loserIndex = await Promise.race(racers.map((racer, index) => racer.exited.then(() => index)));
      const loser = racers[loserIndex];
      const winner = racers[1 - loserIndex];
      if (loser === undefined || winner === undefined) throw new Error('two racers');
      expect(outcomes[1 - loserIndex]).toBe('ready');
      expect(await loser.exited).toBe(1);
      expect(winner.child.exitCode).toBeNull();
      const refusal = REFUSAL.exec(loser.stderr());
      expect(refusal, loser.stderr()).not.toBeNull();
      expect(refusal?.[2]).toBe(w.socketPath);
      if (refusal?.[1] !== undefined) {
        expect(Number(refusal[1])).toBe(winner.child.pid);
        counts.refusedWithPid += 1;
      } else counts.refusedWithoutPid += 1;
      // The socket is the survivor's, and it answers.
      const status = await w.request('GET', '/v1/status');
      expect(status.status).toBe(200);
      expect((status.json as { pid: number }).pid).toBe(winner.child.pid);
      expect((await w.credentials()).json).toMatchObject({ error: { code: 'signed_out' } });
      const strays = (await readdir(dirname(w.socketPath))).filter((name) => name.startsWith('.') && !name.startsWith('.aws'));
      counts.strayFilesInTheSocketDirectory += strays.length;
      survivor = winner;
      counts.survivors += 1;
      counts.failuresFound -= 1;
    }
  }, timeoutFor(suiteSize.agentRaces, 3_000));
});
