import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { guardedBrowser } from '../../../main/agent/guarded-browser';
import { LaunchLinkRegistry } from '../../../main/core/launch-link-registry';
import { LAUNCH_LINK_REUSED_MESSAGE } from '../../../main/core/launch-links';
import { silentLogger } from '../../../main/core/logger';
import { AgentHarness, type HarnessOptions } from './agent-harness';

// docs/security.md, "Another local user": the browser is handed a one-shot launch link,
// never a sign-in page whose URL carries the state, the code challenge or the user code.

const harnesses: AgentHarness[] = [];
const registries: LaunchLinkRegistry[] = [];

afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close();
  for (const registry of registries.splice(0)) await registry.dispose();
});

/**
 * A real agent whose browser is the real guard with a fake opener: `follow` fetches what
 * it is handed as a browser would (redirects followed), or leaves it for the test.
 */
async function agentWithBrowser(follow: boolean, emulator: HarnessOptions['emulator'] = {}) {
  const handed: string[] = [];
  const launchLinks = new LaunchLinkRegistry();
  registries.push(launchLinks);
  // Filled once the emulator runs: the guard reads it at each opening.
  const env: Record<string, string> = {};
  const harness = await AgentHarness.start({
    emulator,
    agent: {
      launchLinks,
      openBrowser: guardedBrowser({
        sessions: () => [{ startUrl: 'https://corp.example.com/start', region: 'us-east-1' }],
        env,
        logger: silentLogger,
        launchLinks,
        open: async (url) => {
          handed.push(url);
          if (follow) await fetch(url).then((response) => response.text());
        },
      }),
    },
  });
  Object.assign(env, harness.env);
  harnesses.push(harness);
  return { harness, handed };
}

async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${what}: not within 2 s`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const LAUNCH_LINK = /^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{22}$/;

describe('the sign-in page reaches the browser through a launch link', () => {
  it('PKCE signs in as before, the browser handed only a launch link, and the listener keeps its port after the decision', async () => {
    const { harness, handed } = await agentWithBrowser(true);
    const outcome = await harness.signIn();
    expect(outcome.status).toBe(200);
    expect(outcome.json).toMatchObject({ state: 'signed-in' });
    expect(handed).toHaveLength(1);
    expect(handed[0]).toMatch(LAUNCH_LINK);
    // The port of the decided sign-in is still held: nobody else can bind it for a late redirect.
    expect(await accepts(Number(new URL(handed[0] ?? '').port))).toBe(true);
    const late = await fetch(handed[0] ?? '', { redirect: 'manual' });
    expect(late.status).toBe(409);
  });

  it('the device code signs in as before, its link leading to the complete verification URL', async () => {
    const { harness, handed } = await agentWithBrowser(false);
    const started = await harness.request('POST', '/v1/sessions/corp/sign-in', { body: { flow: 'device-code', openBrowser: true } });
    expect(started.status).toBe(202);
    const link = await until(() => handed[0], 'the browser is opened');
    expect(link).toMatch(LAUNCH_LINK);
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toMatch(/[?&]user_code=/);
    const outcome = await harness.request('POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=10');
    expect(outcome.json).toMatchObject({ state: 'signed-in' });
  });

  it.each(['pkce', 'device-code'] as const)('a second fetch of the %s link stops the sign-in at once with the one sentence', async (flow) => {
    const { harness, handed } = await agentWithBrowser(false, { autoApprove: false });
    await harness.request('POST', '/v1/sessions/corp/sign-in', { body: { flow, openBrowser: true } });
    const link = await until(() => handed[0], 'the browser is opened');
    // Another program fetched it first (read from the command line); the victim's browser comes second.
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(302);
    const second = await fetch(link, { redirect: 'manual' });
    expect(second.status).toBe(409);
    expect(await second.text()).toContain('The sign-in link was opened twice');
    const outcome = await harness.request('POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=10');
    expect(outcome.status).toBe(403);
    expect(outcome.json).toMatchObject({ error: { code: 'forbidden', message: LAUNCH_LINK_REUSED_MESSAGE } });
  });
});
