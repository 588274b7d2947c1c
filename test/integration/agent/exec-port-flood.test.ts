import { readdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSecondUser, JsonLineLog, secondUserSkipReason, type SecondUser } from '../../support/second-user';
import { AgentHarness } from './agent-harness';
import { containerGet, HeldBinding } from './exec-binding';

// docs/security.md, finding 4 of issue 8: another local user floods the victim's
// `latchkey exec` port with idle connections. The agent (in this process) must keep its
// file descriptors within the port's cap, and keep serving the victim on its socket and
// on the port. The attacker is a real second user (useradd, setpriv).

const skipReason = secondUserSkipReason();
if (skipReason !== undefined) console.warn(`Exec port flood tests skipped: ${skipReason}.`);

/** The connections the attacker opens: thousands, as many as a few seconds allow. */
const FLOOD_CONNECTIONS = 5000;
const CAP = 64;
/**
 * Descriptors this process may open besides the port's connections while the flood runs:
 * the victim's own requests and the agent's work for them.
 */
const SLACK = 16;

interface FloodLine {
  event: 'progress' | 'done';
  opened: number;
  open: number;
  closedByAgent: number;
  failed: number;
}

let attacker: SecondUser;
let floodScript: string;
let harness: AgentHarness | undefined;
let binding: HeldBinding | undefined;

beforeAll(async () => {
  if (skipReason !== undefined) return;
  attacker = await createSecondUser();
  floodScript = await attacker.stage('test/support/attacker/idle-connections.mjs');
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

function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}

describe.skipIf(skipReason !== undefined)("another user's connection flood on the exec port", () => {
  it('keeps the agent within the port cap, and the victim is served on the socket and the port', async () => {
    harness = await AgentHarness.start({ agent: { execPortLimits: { maxConnections: CAP, silentConnectionTimeoutMs: 500 } } });
    await harness.signIn();
    const agent = harness;
    const held = await HeldBinding.open(agent.socketPath);
    binding = held;
    const { url, authorizationToken } = held.endpoint;
    // Warm: the role's credentials are in memory before the flood starts.
    expect((await containerGet(url, authorizationToken)).status).toBe(200);

    const baseline = openDescriptors();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, openDescriptors())), 5);
    const flood = attacker.spawn(process.execPath, [floodScript, String(held.port), String(FLOOD_CONNECTIONS)]);
    const log = new JsonLineLog<FloodLine>(flood);
    let done: FloodLine | undefined;
    const finished = log.waitFor((line) => line.event === 'done', 20_000).then((line) => (done = line));

    const victim = { socket: { ok: 0, failed: 0 }, port: { ok: 0, failed: 0, attempts: 0 } };
    try {
      await log.waitFor((line) => line.opened >= CAP, 10_000);
      while (done === undefined) {
        const credentials = await agent.request('GET', '/v1/credentials?profile=dev').catch(() => undefined);
        if (credentials?.status === 200) victim.socket.ok += 1;
        else victim.socket.failed += 1;
        // An SDK's container provider retries a failed fetch; three tries, as botocore makes.
        let served = false;
        for (let attempt = 0; attempt < 3 && !served; attempt += 1) {
          victim.port.attempts += 1;
          served = await containerGet(url, authorizationToken, 2000).then((answer) => answer.status === 200, () => false);
        }
        if (served) victim.port.ok += 1;
        else victim.port.failed += 1;
      }
      await finished;
    } finally {
      clearInterval(sampler);
      flood.kill('SIGKILL');
    }
    const seen = JSON.stringify({ done, baseline, peak, victim });
    expect(done?.opened, seen).toBeGreaterThanOrEqual(FLOOD_CONNECTIONS);
    expect(peak - baseline, seen).toBeLessThanOrEqual(CAP + SLACK);
    expect(victim.socket, seen).toMatchObject({ failed: 0 });
    expect(victim.socket.ok, seen).toBeGreaterThan(0);
    expect(victim.port, seen).toMatchObject({ failed: 0 });
    // And after the flood, at once.
    expect((await containerGet(url, authorizationToken)).status).toBe(200);
  });
});
