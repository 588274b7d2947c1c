import { checkKeychain } from './durability-checks';
import type { DurabilityTally } from './durability-tally';
import { kill, randomDelayMs, sleep, type AgentProcess, type DurabilityWorld } from './durability-world';

/**
 * One round of a sign-in cut short: starts a sign-in, SIGKILLs the agent a random moment
 * into `windowMs`, starts it again and reads every keychain record back, counting each
 * step in `tally`. Returns the new agent and what the keychain held.
 */
export async function killDuringSignIn(
  w: DurabilityWorld,
  agent: AgentProcess,
  windowMs: number,
  tally: DurabilityTally,
): Promise<{ agent: AgentProcess; reading: Awaited<ReturnType<typeof checkKeychain>> }> {
  const signingIn = w.signIn().catch(() => undefined);
  const delayMs = randomDelayMs(windowMs);
  await sleep(delayMs);
  await kill(agent);
  await signingIn;
  tally.kill(delayMs);
  const restarted = await w.startAgent();
  tally.restart();
  const reading = await checkKeychain(w);
  tally.checked(reading.records);
  return { agent: restarted, reading };
}
