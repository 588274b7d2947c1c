import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXEC_PORT_LIMITS } from '../../../main/agent/container-credentials-server';
import { createSecondUser, JsonLineLog, secondUserSkipReason, type SecondUser } from '../../support/second-user';
import { AgentHarness } from './agent-harness';
import { containerGet, HeldBinding } from './exec-binding';

// docs/security.md: another local user held every slot of the victim's `latchkey exec`
// port by pipelining thousands of requests on each of 64 connections and never reading
// the answers. Node paused each connection with answers queued, so each stayed "being
// answered" for good, was never displaced, and every newcomer (the victim's SDK) was
// refused. The agent runs in this process with the port's real cap; the attacker is a
// real second user (useradd, setpriv).

const skipReason = secondUserSkipReason();
if (skipReason !== undefined) console.warn(`Exec port pipelining tests skipped: ${skipReason}.`);

/** Well over the cap, reopened as the agent closes them. */
const ATTACKER_CONNECTIONS = 96;
/** Pipelined on each connection at once: about 1 MiB of requests, answers for many more MiB. */
const REQUESTS_PER_CONNECTION = 20_000;
/** How long the victim keeps asking while the attack runs. */
const ATTACK_MS = 5000;

interface ProgressLine {
  event: 'progress';
  opened: number;
  open: number;
  closedByAgent: number;
  failed: number;
}

let attacker: SecondUser;
let script: string;
let harness: AgentHarness | undefined;
let binding: HeldBinding | undefined;

beforeAll(async () => {
  if (skipReason !== undefined) return;
  attacker = await createSecondUser();
  script = await attacker.stage('test/support/attacker/pipelined-requests.mjs');
});

afterAll(async () => {
  await attacker?.remove();
});

afterEach(async () => {
  binding?.close();
  binding = undefined;
  await harness?.close();
  harness = undefined;
});

describe.skipIf(skipReason !== undefined)("another user's pipelining connections on the exec port", () => {
  it('cannot lock the victim out: every connection that pipelines is closed, and the SDK is served throughout', async () => {
    expect(DEFAULT_EXEC_PORT_LIMITS.maxConnections).toBe(64);
    harness = await AgentHarness.start();
    await harness.signIn();
    const agent = harness;
    const held = await HeldBinding.open(agent.socketPath);
    binding = held;
    const { url, authorizationToken } = held.endpoint;
    expect((await containerGet(url, authorizationToken)).status).toBe(200);

    const flood = attacker.spawn(process.execPath, [script, String(held.port), String(ATTACKER_CONNECTIONS), String(REQUESTS_PER_CONNECTION)]);
    const log = new JsonLineLog<ProgressLine>(flood);
    const victim = { ok: 0, failed: 0, attempts: 0 };
    try {
      await log.waitFor((line) => line.opened >= ATTACKER_CONNECTIONS, 10_000);
      const until = Date.now() + ATTACK_MS;
      while (Date.now() < until) {
        // An SDK's container provider retries a failed fetch; three tries, as botocore makes.
        let served = false;
        for (let attempt = 0; attempt < 3 && !served; attempt += 1) {
          victim.attempts += 1;
          served = await containerGet(url, authorizationToken, 2000).then((answer) => answer.status === 200, () => false);
        }
        if (served) victim.ok += 1;
        else victim.failed += 1;
      }
    } finally {
      flood.kill('SIGKILL');
    }
    const last = log.lines.at(-1);
    const seen = JSON.stringify({ last, victim });
    expect(victim, seen).toMatchObject({ failed: 0 });
    expect(victim.ok, seen).toBeGreaterThan(0);
    // The agent closed the pipelining connections rather than queue their answers.
    expect(last?.closedByAgent, seen).toBeGreaterThan(ATTACKER_CONNECTIONS);
    expect((await containerGet(url, authorizationToken)).status).toBe(200);
  }, 30_000);
});
