import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentHarness, type HarnessOptions } from './agent-harness';
import { containerGet, HeldBinding, portRefuses, within } from './exec-binding';

// docs/security.md, finding 4 of issue 8: a binding lives exactly as long as the
// connection of the `latchkey exec` that asked for it, and the port only while a binding does.

let harness: AgentHarness | undefined;
const held: HeldBinding[] = [];
const sockets: Socket[] = [];

async function start(options: HarnessOptions = {}): Promise<AgentHarness> {
  harness = await AgentHarness.start(options);
  await harness.signIn();
  return harness;
}

async function hold(agent: AgentHarness, body?: object): Promise<HeldBinding> {
  const binding = await HeldBinding.open(agent.socketPath, body);
  held.push(binding);
  return binding;
}

afterEach(async () => {
  for (const binding of held.splice(0)) binding.close();
  for (const socket of sockets.splice(0)) socket.destroy();
  await harness?.close();
  harness = undefined;
});

describe('a latchkey exec binding', () => {
  it('is revoked when the connection that asked for it closes, and the port stays bound so no one else can take it', async () => {
    const agent = await start();
    const binding = await hold(agent);
    const { url, authorizationToken } = binding.endpoint;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/container-credentials\/[A-Za-z0-9_-]{22}$/);
    expect((await containerGet(url, authorizationToken)).status).toBe(200);
    binding.close();
    // A process the command left behind still asks this URL: the agent answers it, not a stranger.
    await within(2000, async () => (await containerGet(url, authorizationToken)).status === 404, 'the binding ends');
    expect(await portRefuses(binding.port)).toBe(false);
  });

  it('keeps the port while another binding is held, and refuses the ended one with 404', async () => {
    const agent = await start();
    const first = await hold(agent);
    const second = await hold(agent);
    expect(second.port).toBe(first.port);
    first.close();
    await within(2000, async () => (await containerGet(first.endpoint.url, first.endpoint.authorizationToken)).status === 404, 'the first binding ends');
    expect((await containerGet(second.endpoint.url, second.endpoint.authorizationToken)).status).toBe(200);
  });

  it('serves the next binding on the same port after the last one ended', async () => {
    const agent = await start();
    const first = await hold(agent);
    first.close();
    await within(2000, async () => (await containerGet(first.endpoint.url, first.endpoint.authorizationToken)).status === 404, 'the first binding ends');
    const next = await hold(agent);
    expect(next.port).toBe(first.port);
    expect((await containerGet(next.endpoint.url, next.endpoint.authorizationToken)).status).toBe(200);
  });

  it('outlives every timeout of the agent socket while it is held', async () => {
    const limits = { headersTimeoutMs: 200, requestTimeoutMs: 300, keepAliveTimeoutMs: 100, silentConnectionTimeoutMs: 100 };
    const agent = await start({ agent: { limits } });
    const binding = await hold(agent);
    // Several times the longest window, on the servers' own check interval.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(binding.ended).toBe(false);
    expect((await containerGet(binding.endpoint.url, binding.endpoint.authorizationToken)).status).toBe(200);
  });

  it('is not displaced by newcomers over the agent socket connection cap', async () => {
    const agent = await start({ agent: { limits: { maxConnections: 4 } } });
    const binding = await hold(agent);
    for (let i = 0; i < 12; i += 1) {
      const socket = connect({ path: agent.socketPath });
      socket.on('error', () => undefined);
      sockets.push(socket);
      await new Promise((resolve) => socket.once('connect', resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(binding.ended).toBe(false);
    expect((await containerGet(binding.endpoint.url, binding.endpoint.authorizationToken)).status).toBe(200);
  });

  it('ends with its stream when the agent stops, well inside the shutdown grace', async () => {
    const agent = await start({ agent: { limits: { shutdownGraceMs: 5000 } } });
    const binding = await hold(agent);
    const started = Date.now();
    await agent.agent.close();
    await binding.untilEnded();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await portRefuses(binding.port)).toBe(true);
  });

  it.each([
    [{ profile: 'nope' }, 404, 'not_found'],
    [{ profile: 'broken' }, 400, 'config_error'],
    [{ profile: 'dev', extra: 1 }, 400, 'invalid_request'],
  ])('refuses %j with %i %s before any stream begins', async (body, status, code) => {
    const agent = await start();
    const refusal = await HeldBinding.open(agent.socketPath, body).then(
      () => undefined,
      (error: { status?: number; body?: string }) => error,
    );
    expect(refusal?.status).toBe(status);
    expect(JSON.parse(refusal?.body ?? '{}')).toMatchObject({ error: { code } });
  });
});
