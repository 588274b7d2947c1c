import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../main/agent/agent-event';
import { AgentHarness } from './agent-harness';

let harness: AgentHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('a tool asking for a signed-out session', () => {
  it('makes an interactive agent raise needs-sign-in once and wait for the sign-in', async () => {
    const agentHarness = await AgentHarness.start({ agent: { interactive: true } });
    harness = agentHarness;
    const noticed: AgentEvent[] = [];
    agentHarness.agent.events.on((event) => {
      if (event.type !== 'needs-sign-in') return;
      noticed.push(event);
      // What the desktop app does when the person clicks the notification.
      if (noticed.length === 1) void agentHarness.signIn();
    });
    const responses = await Promise.all(
      Array.from({ length: 3 }, () => agentHarness.request('GET', '/v1/credentials?profile=dev&waitSeconds=10')),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(noticed).toEqual([{ type: 'needs-sign-in', session: 'corp', profile: 'dev' }]);
  });

  it('answers an interactive wait that runs out with 401', async () => {
    harness = await AgentHarness.start({ agent: { interactive: true } });
    const started = Date.now();
    const response = await harness.request('GET', '/v1/credentials?profile=dev&waitSeconds=1');
    expect(response).toMatchObject({ status: 401, json: { error: { code: 'signed_out' } } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('makes a headless agent answer 401 at once with the login command', async () => {
    harness = await AgentHarness.start();
    const noticed: AgentEvent[] = [];
    harness.agent.events.on((event) => noticed.push(event));
    const started = Date.now();
    const response = await harness.request('GET', '/v1/credentials?profile=dev&waitSeconds=60');
    expect(response.status).toBe(401);
    expect((response.json as { error: { message: string } }).error.message).toContain('latchkey login --session corp');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(noticed).toEqual([]);
  });
});
