import { describe, expect, it } from 'vitest';
import { runDeviceFlow, type DeviceFlowEvent } from '../../../main/core/device-flow';
import { isLatchkeyError } from '../../../main/core/errors';
import { FakeClock, flushMicrotasks } from '../../support/fake-clock';
import { ScriptedOidc, sampleAuthorization, sampleToken } from '../../support/scripted-oidc';
import { Wakeup } from '../../../main/core/wakeup';
import { launchLinkReusedError, LAUNCH_LINK_REUSED_MESSAGE, type FlowLaunch } from '../../../main/core/launch-links';

/** A launch site whose misuse the test triggers. */
function fakeLaunch(): FlowLaunch & { targets: string[]; closed: boolean; reuse(): void } {
  let reject!: (error: unknown) => void;
  const misuse = new Promise<never>((_resolve, fail) => (reject = fail));
  misuse.catch(() => undefined);
  const launch = {
    targets: [] as string[],
    closed: false,
    misuse,
    reuse: () => reject(launchLinkReusedError()),
    close: async () => void (launch.closed = true),
  };
  return launch;
}

function setup(steps: ConstructorParameters<typeof ScriptedOidc>[0], authorization = sampleAuthorization()) {
  const oidc = new ScriptedOidc(steps, authorization);
  const clock = new FakeClock({ autoAdvance: true });
  const events: DeviceFlowEvent[] = [];
  const run = (signal?: AbortSignal) =>
    runDeviceFlow({ oidc, clock, clientId: 'c', clientSecret: 's', startUrl: 'https://corp.awsapps.com/start', signal, onEvent: (e) => events.push(e) });
  return { oidc, clock, events, run };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the flow to fail'),
    (error: unknown) => error,
  );
}

describe('device authorization flow', () => {
  it('shows the code first, then polls at the interval until approved', async () => {
    const { oidc, clock, events, run } = setup(['authorization_pending', 'authorization_pending', sampleToken()]);
    await expect(run()).resolves.toEqual(sampleToken());
    expect(events[0]).toMatchObject({ type: 'code-issued', userCode: 'BCDF-GHJK' });
    expect(events.at(-1)).toEqual({ type: 'approved' });
    expect(oidc.tokenCalls).toHaveLength(3);
    expect(oidc.tokenCalls[0]).toMatchObject({ grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: 'device-code-1' });
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);
  });

  it('waits 5 seconds between polls when the service gives no interval', async () => {
    const { clock, run } = setup(['authorization_pending', sampleToken()], sampleAuthorization({ interval: 0 }));
    await run();
    expect(clock.sleeps).toEqual([5000, 5000]);
  });

  it.each<[string, number, number]>([
    ['a_ten_thousandth_of_a_second', 0.0001, 1000],
    ['half_a_second', 0.5, 1000],
    ['one_second', 1, 1000],
    ['two_and_a_half_seconds', 2.5, 2500],
  ])('waits at least a second between polls when the interval is %s', async (_name, interval, waitMs) => {
    const { clock, events, run } = setup(['authorization_pending', sampleToken()], sampleAuthorization({ interval }));
    await run();
    expect(clock.sleeps).toEqual([waitMs, waitMs]);
    expect(events.find((e) => e.type === 'waiting')).toMatchObject({ intervalMs: waitMs });
  });

  it('polls at most five times in five seconds for a service that asks for a ten-thousandth of a second', async () => {
    const pending = Array.from({ length: 100 }, () => 'authorization_pending' as const);
    const oidc = new ScriptedOidc(pending, sampleAuthorization({ interval: 0.0001 }));
    const clock = new FakeClock();
    const controller = new AbortController();
    const flow = runDeviceFlow({ oidc, clock, clientId: 'c', clientSecret: 's', startUrl: 'https://x', signal: controller.signal });
    const outcome = rejection(flow);
    await clock.advance(5_000);
    expect(oidc.tokenCalls).toHaveLength(5);
    controller.abort();
    expect(isLatchkeyError(await outcome, 'cancelled')).toBe(true);
  });

  it('adds 5 seconds to the interval on every slow_down, for the rest of the flow', async () => {
    const { clock, run } = setup(['slow_down', 'authorization_pending', 'slow_down', 'authorization_pending', sampleToken()]);
    await run();
    expect(clock.sleeps).toEqual([1000, 6000, 6000, 11000, 11000]);
  });

  it('stops with expired when the service says expired_token', async () => {
    const { events, run } = setup(['authorization_pending', 'expired_token']);
    const error = await rejection(run());
    expect(isLatchkeyError(error, 'expired_token')).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'expired' });
  });

  it('never polls after expiresIn has passed', async () => {
    const pending = Array.from({ length: 100 }, () => 'authorization_pending' as const);
    const { oidc, events, run } = setup(pending, sampleAuthorization({ expiresIn: 10, interval: 3 }));
    const error = await rejection(run());
    expect(isLatchkeyError(error, 'expired_token')).toBe(true);
    expect(oidc.tokenCalls).toHaveLength(3);
    expect(events.at(-1)).toEqual({ type: 'expired' });
  });

  it('reports a denial in the browser as denied', async () => {
    const { events, run } = setup(['authorization_pending', 'access_denied']);
    const error = await rejection(run());
    expect(isLatchkeyError(error, 'access_denied')).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'denied' });
  });

  it('backs off on network trouble and recovers, never below the interval', async () => {
    const { clock, events, run } = setup(['network_error', 'network_error', 'authorization_pending', sampleToken()]);
    await run();
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 1000]);
    expect(events.filter((e) => e.type === 'network-trouble')).toHaveLength(2);
  });

  it('says waiting again only once a poll is answered after network trouble', async () => {
    const { events, run } = setup(['network_error', 'network_error', 'authorization_pending', sampleToken()]);
    await run();
    expect(events.map((e) => e.type)).toEqual(['code-issued', 'waiting', 'network-trouble', 'network-trouble', 'waiting', 'approved']);
  });

  it('polls on past an answer it could not read, as past network trouble, rather than end the sign-in', async () => {
    const { oidc, events, run } = setup(['malformed_response', sampleToken()]);
    await expect(run()).resolves.toEqual(sampleToken());
    expect(oidc.tokenCalls).toHaveLength(2);
    expect(events.map((e) => e.type)).toEqual(['code-issued', 'waiting', 'network-trouble', 'approved']);
  });

  it('fails at once on an error that retrying cannot fix', async () => {
    const { oidc, events, run } = setup(['invalid_client']);
    const error = await rejection(run());
    expect(isLatchkeyError(error, 'invalid_client')).toBe(true);
    expect(oidc.tokenCalls).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'failed', code: 'invalid_client' });
  });

  it('can be cancelled while it waits, and polls no more', async () => {
    const oidc = new ScriptedOidc(['authorization_pending', sampleToken()]);
    const clock = new FakeClock();
    const controller = new AbortController();
    const flow = runDeviceFlow({ oidc, clock, clientId: 'c', clientSecret: 's', startUrl: 'https://x', signal: controller.signal });
    const outcome = rejection(flow);
    await clock.advance(1000);
    expect(oidc.tokenCalls).toHaveLength(1);
    controller.abort();
    await flushMicrotasks();
    expect(isLatchkeyError(await outcome, 'cancelled')).toBe(true);
    await clock.advance(60_000);
    expect(oidc.tokenCalls).toHaveLength(1);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('does not start when cancelled before it begins', async () => {
    const { oidc, run } = setup([sampleToken()]);
    const controller = new AbortController();
    controller.abort();
    expect(isLatchkeyError(await rejection(run(controller.signal)), 'cancelled')).toBe(true);
    expect(oidc.authorizations).toHaveLength(0);
  });

  it('retries at once when asked after network trouble, but never sooner than the interval', async () => {
    const oidc = new ScriptedOidc(['authorization_pending', 'network_error', 'network_error', sampleToken()], sampleAuthorization({ interval: 5 }));
    const clock = new FakeClock();
    const retryNow = new Wakeup();
    const flow = runDeviceFlow({ oidc, clock, clientId: 'c', clientSecret: 's', startUrl: 'https://x', retryNow });
    await clock.advance(5_000);
    await clock.advance(5_000);
    await clock.advance(10_000);
    expect(oidc.tokenCalls).toHaveLength(3);
    // Now backing off 20 s: a retry asked for after 1 s still waits out the 5 s interval.
    await clock.advance(1_000);
    retryNow.fire();
    await clock.advance(3_999);
    expect(oidc.tokenCalls).toHaveLength(3);
    await clock.advance(1);
    expect(oidc.tokenCalls).toHaveLength(4);
    await expect(flow).resolves.toEqual(sampleToken());
    expect(retryNow.waiting).toBe(0);
  });

  it('ignores retry requests while merely waiting out the interval', async () => {
    const oidc = new ScriptedOidc(['authorization_pending', sampleToken()], sampleAuthorization({ interval: 5 }));
    const clock = new FakeClock();
    const retryNow = new Wakeup();
    const flow = runDeviceFlow({ oidc, clock, clientId: 'c', clientSecret: 's', startUrl: 'https://x', retryNow });
    await clock.advance(5_000);
    retryNow.fire();
    await clock.advance(4_999);
    expect(oidc.tokenCalls).toHaveLength(1);
    await clock.advance(1);
    await expect(flow).resolves.toEqual(sampleToken());
  });

  it('serves launch links to the complete verification URL before it announces the code, and ends them with the flow', async () => {
    const oidc = new ScriptedOidc([sampleToken()]);
    const launch = fakeLaunch();
    const order: string[] = [];
    await runDeviceFlow({
      oidc,
      clock: new FakeClock({ autoAdvance: true }),
      clientId: 'c',
      clientSecret: 's',
      startUrl: 'https://x',
      startLaunch: async ({ target }) => {
        order.push(`launch ${target}`);
        return launch;
      },
      onEvent: (event) => order.push(event.type),
    });
    expect(order.slice(0, 2)).toEqual([`launch ${sampleAuthorization().verificationUriComplete}`, 'code-issued']);
    expect(launch.closed).toBe(true);
  });

  it('stops at once with the one sentence when a launch link is fetched twice, and polls no more', async () => {
    const oidc = new ScriptedOidc(['authorization_pending', sampleToken()]);
    const clock = new FakeClock();
    const launch = fakeLaunch();
    const events: DeviceFlowEvent[] = [];
    const outcome = rejection(
      runDeviceFlow({ oidc, clock, clientId: 'c', clientSecret: 's', startUrl: 'https://x', startLaunch: async () => launch, onEvent: (e) => events.push(e) }),
    );
    await clock.advance(1000);
    expect(oidc.tokenCalls).toHaveLength(1);
    launch.reuse();
    await flushMicrotasks();
    const error = await outcome;
    expect(isLatchkeyError(error, 'forbidden')).toBe(true);
    expect((error as Error).message).toBe(LAUNCH_LINK_REUSED_MESSAGE);
    expect(events.at(-1)).toEqual({ type: 'failed', code: 'forbidden', message: LAUNCH_LINK_REUSED_MESSAGE });
    await clock.advance(60_000);
    expect(oidc.tokenCalls).toHaveLength(1);
    expect(launch.closed).toBe(true);
  });

  it('does not take a token approved while a link was being fetched twice: it may be another user\'s', async () => {
    const launch = fakeLaunch();
    const oidc = new ScriptedOidc([sampleToken()]);
    const createToken = oidc.createToken.bind(oidc);
    oidc.createToken = async (request) => {
      const token = await createToken(request);
      launch.reuse();
      await flushMicrotasks();
      return token;
    };
    const error = await rejection(
      runDeviceFlow({ oidc, clock: new FakeClock({ autoAdvance: true }), clientId: 'c', clientSecret: 's', startUrl: 'https://x', startLaunch: async () => launch }),
    );
    expect((error as Error).message).toBe(LAUNCH_LINK_REUSED_MESSAGE);
  });

  it('still shows the code and polls when no launch site can be bound', async () => {
    const oidc = new ScriptedOidc([sampleToken()]);
    const flow = runDeviceFlow({
      oidc,
      clock: new FakeClock({ autoAdvance: true }),
      clientId: 'c',
      clientSecret: 's',
      startUrl: 'https://x',
      startLaunch: async () => Promise.reject(new Error('EADDRNOTAVAIL')),
    });
    await expect(flow).resolves.toEqual(sampleToken());
  });
});
