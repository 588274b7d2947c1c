import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LatchkeyError, isLatchkeyError } from '../../../main/core/errors';
import { runPkceFlow, type LoopbackRedirect } from '../../../main/core/pkce-flow';
import type { PkceFlowEvent } from '../../../main/core/session-events';
import { FakeClock } from '../../support/fake-clock';
import { ScriptedOidc, sampleToken } from '../../support/scripted-oidc';

class FakeLoopback implements LoopbackRedirect {
  readonly redirectUri = 'http://127.0.0.1:49152/oauth/callback';
  closed = false;
  launchTarget: string | undefined;
  constructor(
    readonly expectedState: string,
    private readonly outcome: { code: string } | LatchkeyError,
  ) {}
  serveLaunch(authorizeUrl: string): void {
    this.launchTarget = authorizeUrl;
  }
  async waitForCode(): Promise<{ code: string }> {
    if (this.outcome instanceof LatchkeyError) throw this.outcome;
    return this.outcome;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function setup(outcome: { code: string } | LatchkeyError, steps: ConstructorParameters<typeof ScriptedOidc>[0] = [sampleToken()]) {
  const oidc = new ScriptedOidc(steps);
  const order: string[] = [];
  const events: PkceFlowEvent[] = [];
  let loopback: FakeLoopback | undefined;
  let openedUrl = '';
  const run = (openBrowser?: (url: string) => Promise<void>) =>
    runPkceFlow({
      oidc,
      clock: new FakeClock(),
      clientId: 'client-1',
      clientSecret: 'secret',
      oidcEndpoint: 'https://oidc.us-east-1.amazonaws.com',
      scopes: ['sso:account:access'],
      startLoopback: async ({ expectedState }) => {
        order.push('listen');
        loopback = new FakeLoopback(expectedState, outcome);
        return loopback;
      },
      openBrowser:
        openBrowser ??
        (async (url) => {
          order.push('open');
          openedUrl = url;
        }),
      onEvent: (e) => events.push(e),
    });
  return { oidc, order, events, run, loopback: () => loopback, openedUrl: () => openedUrl };
}

describe('PKCE flow', () => {
  it('binds the listener, announces the URL, then opens the browser and redeems the code with the verifier', async () => {
    const { oidc, order, events, run, loopback, openedUrl } = setup({ code: 'auth-code' });
    await expect(run()).resolves.toEqual(sampleToken());
    expect(order).toEqual(['listen', 'open']);
    expect(events[0]).toMatchObject({ type: 'browser-opening', authorizeUrl: openedUrl() });
    // The launch links lead to the very URL announced, served before anything opens it.
    expect(loopback()?.launchTarget).toBe(openedUrl());
    expect(events.at(-1)).toEqual({ type: 'approved' });
    const url = new URL(openedUrl());
    expect(url.searchParams.get('state')).toBe(loopback()?.expectedState);
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:49152/oauth/callback');
    const call = oidc.tokenCalls[0];
    if (call?.grantType !== 'authorization_code') throw new Error('expected an authorization_code redemption');
    expect(call).toMatchObject({ code: 'auth-code', redirectUri: 'http://127.0.0.1:49152/oauth/callback', clientId: 'client-1' });
    const challenge = createHash('sha256').update(call.codeVerifier).digest('base64url');
    expect(url.searchParams.get('code_challenge')).toBe(challenge);
    expect(loopback()?.closed).toBe(true);
  });

  it('keeps waiting when no browser can be opened: the URL was shown', async () => {
    const { run, loopback } = setup({ code: 'auth-code' });
    await expect(run(async () => Promise.reject(new Error('no display')))).resolves.toEqual(sampleToken());
    expect(loopback()?.closed).toBe(true);
  });

  it('reports a denial in the browser and closes the listener', async () => {
    const { events, run, loopback } = setup(new LatchkeyError('access_denied', 'denied'));
    const error = await run().catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'access_denied')).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'denied' });
    expect(loopback()?.closed).toBe(true);
  });

  it('reports a listener timeout as expired', async () => {
    const { events, run } = setup(new LatchkeyError('expired_token', 'timed out'));
    await run().catch(() => undefined);
    expect(events.at(-1)).toEqual({ type: 'expired' });
  });

  it('closes the listener when the code cannot be redeemed', async () => {
    const { events, run, loopback } = setup({ code: 'auth-code' }, ['invalid_grant']);
    const error = await run().catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'invalid_grant')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'failed', code: 'invalid_grant' });
    expect(loopback()?.closed).toBe(true);
  });
});
