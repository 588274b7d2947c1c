import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_LIMITS } from '../../../main/agent/agent-server';
import { AgentHarness } from './agent-harness';
import { containerGet, HeldBinding, within } from './exec-binding';

// Finding 5 of issue 8: connections that never send a byte must not lock clients out.
// The agent keeps its real cap (DEFAULT_AGENT_LIMITS) and header timeout (10 s); only the silent window
// is shrunk, so a fix that leaned on the header timeout would fail here.

const SILENT_MS = 300;

let harness: AgentHarness | undefined;
const sockets: Socket[] = [];
const held: HeldBinding[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const binding of held.splice(0)) binding.close();
  await harness?.close();
  harness = undefined;
});

function openSilent(options: { path: string } | { host: string; port: number }): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(options);
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.resume();
    socket.once('connect', () => resolve(socket));
    socket.once('close', () => resolve(socket));
  });
}

describe('silent connections', () => {
  it('cannot lock clients out of the agent socket: as many as its cap, and a real client is served at once', async () => {
    harness = await AgentHarness.start({ agent: { limits: { silentConnectionTimeoutMs: SILENT_MS } } });
    const agent = harness;
    const silent = await Promise.all(Array.from({ length: DEFAULT_AGENT_LIMITS.maxConnections }, () => openSilent({ path: agent.socketPath })));
    const tookMs = await within(
      2000,
      () => agent.request('GET', '/v1/status').then((response) => response.status === 200, () => false),
      'a real client is served',
    );
    expect(tookMs).toBeLessThan(SILENT_MS * 3);
    // And the silent ones are closed after their window, not after the 10 s header timeout.
    await within(2000, async () => silent.every((socket) => socket.destroyed), 'the silent connections close');
  });

  it('closes a connection to the agent socket that never sends a byte after the silent window', async () => {
    harness = await AgentHarness.start({ agent: { limits: { silentConnectionTimeoutMs: SILENT_MS } } });
    const socket = await openSilent({ path: harness.socketPath });
    const tookMs = await within(3000, async () => socket.destroyed, 'the silent connection closes');
    expect(tookMs).toBeLessThan(SILENT_MS + 700);
  });

  it('cannot lock clients out of the exec port: its cap of them, and the SDK is served at once', async () => {
    harness = await AgentHarness.start({ agent: { execPortLimits: { silentConnectionTimeoutMs: SILENT_MS, maxConnections: 32 } } });
    await harness.signIn();
    const binding = await HeldBinding.open(harness.socketPath);
    held.push(binding);
    const silent = await Promise.all(Array.from({ length: 32 }, () => openSilent({ host: '127.0.0.1', port: binding.port })));
    const tookMs = await within(
      2000,
      () => containerGet(binding.endpoint.url, binding.endpoint.authorizationToken).then((answer) => answer.status === 200, () => false),
      'the SDK is served',
    );
    expect(tookMs).toBeLessThan(SILENT_MS * 3);
    await within(2000, async () => silent.every((socket) => socket.destroyed), 'the silent connections close');
  });
});
