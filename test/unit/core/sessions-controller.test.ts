import { afterEach, describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../main/core/errors';
import { CODE, corp, disposeControllers, lab, settle, setup } from '../../support/sessions-controller-fixture';

afterEach(disposeControllers);

describe('SessionsController', () => {
  it('lists every configured session with its state, expiry and attention', async () => {
    const { engine, controller } = setup();
    engine.statuses.set('corp', { signedIn: true, accessTokenExpiresAtMs: 2_000_000, refreshable: true });
    controller.markNeedsAttention('lab');
    await expect(controller.listSessions()).resolves.toEqual([
      { name: 'corp', startUrl: corp.startUrl, region: 'eu-west-1', state: 'signed-in', accessTokenExpiresAtMs: 2_000_000, refreshable: true, needsAttention: false, clientName: 'Latchkey on test-host' },
      { name: 'lab', startUrl: lab.startUrl, region: 'us-east-1', state: 'signed-out', refreshable: false, needsAttention: true, clientName: 'Latchkey on test-host' },
    ]);
  });

  it('gives the page the OS locale the tray writes clock times in', async () => {
    const { controller } = setup();
    expect(await controller.clockLocale()).toBe('de-DE');
  });

  it('starts a sign-in without waiting for it, with the chosen flow, and reports the session as signing in', async () => {
    const { engine, controller, lastSessions } = setup('pkce');
    await controller.startSignIn('corp');
    expect(engine.signIns.map(({ session, flow }) => [session, flow])).toEqual([['corp', 'pkce']]);
    await settle();
    expect(lastSessions()?.find((s) => s.name === 'corp')?.state).toBe('signing-in');
  });

  it('knows which running sign-ins it started itself, so the app brings forward only the others', async () => {
    const { engine, controller } = setup();
    expect(controller.startedHere('corp')).toBe(false);
    await controller.startSignIn('corp');
    expect(controller.startedHere('corp')).toBe(true);
    engine.progress('lab', { type: 'waiting', nextPollAtMs: 0, intervalMs: 1000 });
    expect(controller.startedHere('lab')).toBe(false);
  });

  it('passes "Retry now" to the engine for a known session only', async () => {
    const { engine, controller } = setup();
    await controller.retrySignIn('corp');
    await expect(controller.retrySignIn('nope')).rejects.toBeInstanceOf(LatchkeyError);
    expect(engine.retries).toEqual(['corp']);
  });

  it('uses the flow the page asks for', async () => {
    const { engine, controller } = setup('pkce');
    await controller.startSignIn('corp', 'device-code');
    expect(engine.signIns[0]?.flow).toBe('device-code');
  });

  it('forwards session events and sends the list again once the sign-in ends', async () => {
    const { engine, controller, events, issueCode, lastSessions } = setup();
    await controller.startSignIn('corp');
    issueCode();
    engine.signIns[0]?.finish();
    await settle();
    expect(events.filter((e) => e.type === 'session-event').map((e) => e.type === 'session-event' && e.event.type)).toEqual([
      'sign-in-progress',
      'signed-in',
    ]);
    expect(lastSessions()?.find((s) => s.name === 'corp')).toMatchObject({ state: 'signed-in', accessTokenExpiresAtMs: 5_000_000 });
  });

  it('opens and copies what the engine announced, never anything from the page', async () => {
    const { controller, opened, copied, issueCode } = setup();
    await controller.startSignIn('corp');
    issueCode();
    await controller.openVerificationPage('corp');
    await controller.copyUserCode('corp');
    await controller.copyVerificationUrl('corp');
    expect(opened).toEqual([CODE.verificationUriComplete]);
    expect(copied).toEqual(['BCDF-GHJK', 'https://device.sso.eu-west-1.amazonaws.com/']);
  });

  it('opens and copies the authorize URL of a PKCE sign-in, and has no code to copy', async () => {
    const { engine, controller, clock, opened, copied } = setup('pkce');
    await controller.startSignIn('corp');
    const authorizeUrl = 'https://oidc.eu-west-1.amazonaws.com/authorize?client_id=x';
    engine.progress('corp', { type: 'browser-opening', authorizeUrl, redirectUri: 'http://127.0.0.1:5000/oauth/callback', expiresAtMs: clock.nowMs() + 1000 });
    expect(opened).toEqual([authorizeUrl]);
    await controller.openVerificationPage('corp');
    await controller.copyVerificationUrl('corp');
    await expect(controller.copyUserCode('corp')).rejects.toThrow(/no code to copy/);
    expect(opened).toEqual([authorizeUrl, authorizeUrl]);
    expect(copied).toEqual([authorizeUrl]);
  });

  it('opens the browser by itself for a PKCE sign-in it started, not for one started elsewhere', async () => {
    const { engine, controller, clock, opened } = setup('pkce');
    const progress = (authorizeUrl: string) => ({ type: 'browser-opening' as const, authorizeUrl, redirectUri: 'http://127.0.0.1:5000/oauth/callback', expiresAtMs: clock.nowMs() + 1000 });
    engine.progress('lab', progress('https://oidc.eu-west-1.amazonaws.com/authorize?client_id=cli'));
    await controller.startSignIn('corp');
    engine.progress('corp', progress('https://oidc.eu-west-1.amazonaws.com/authorize?client_id=window'));
    await settle();
    expect(opened).toEqual(['https://oidc.eu-west-1.amazonaws.com/authorize?client_id=window']);
  });

  it.each([
    ['before any code was issued', () => undefined],
    ['after the code expired', (t: ReturnType<typeof setup>) => t.clock.advance(600_001)],
    ['after the sign-in was denied', (t: ReturnType<typeof setup>) => t.engine.progress('corp', { type: 'denied' })],
  ])('refuses to open or copy %s', async (_name, after) => {
    const t = setup();
    await t.controller.startSignIn('corp');
    if (_name !== 'before any code was issued') t.issueCode();
    await after(t);
    await expect(t.controller.openVerificationPage('corp')).rejects.toBeInstanceOf(LatchkeyError);
    await expect(t.controller.copyUserCode('corp')).rejects.toBeInstanceOf(LatchkeyError);
    expect(t.opened).toEqual([]);
    expect(t.copied).toEqual([]);
  });

  it('cancels its own sign-in through the signal', async () => {
    const { controller, events } = setup();
    await controller.startSignIn('corp');
    await controller.cancelSignIn('corp');
    await settle();
    expect(events).toContainEqual({ type: 'session-event', event: { type: 'sign-in-failed', session: 'corp', code: 'cancelled' } });
  });

  it('refuses to cancel a sign-in started elsewhere, and ignores a cancel with nothing running', async () => {
    const { engine, controller } = setup();
    await expect(controller.cancelSignIn('corp')).resolves.toBeUndefined();
    void engine.signIn(corp, 'device-code').catch(() => undefined);
    await expect(controller.cancelSignIn('corp')).rejects.toThrow(/started elsewhere/);
    engine.signIns[0]?.finish(new LatchkeyError('cancelled', 'x'));
  });

  it('joins a running sign-in instead of starting another, and sends its prompt again', async () => {
    const { engine, controller, events, issueCode } = setup();
    await controller.startSignIn('corp');
    issueCode();
    engine.progress('corp', { type: 'waiting', nextPollAtMs: 0, intervalMs: 1000 });
    events.length = 0;
    await controller.startSignIn('corp');
    expect(engine.signIns).toHaveLength(1);
    expect(events.map((e) => e.type === 'session-event' && e.event.type === 'sign-in-progress' && e.event.progress.type)).toEqual(['code-issued', 'waiting']);
  });

  it('starts a fresh flow after a cancel ("Get a new code") once the old one has ended', async () => {
    const { engine, controller, issueCode } = setup();
    await controller.startSignIn('corp');
    issueCode();
    await controller.cancelSignIn('corp');
    await controller.startSignIn('corp');
    expect(engine.signIns).toHaveLength(2);
    expect(engine.isSigningIn('corp')).toBe(true);
  });

  it('sends show-prompt followed by the current prompt', async () => {
    const { controller, events, issueCode } = setup();
    await controller.startSignIn('corp');
    issueCode();
    events.length = 0;
    controller.showPrompt('corp');
    expect(events.map((e) => e.type)).toEqual(['show-prompt', 'session-event']);
  });

  it('marks a session as needing attention until it signs in', async () => {
    const { engine, controller, lastSessions } = setup();
    controller.markNeedsAttention('corp');
    controller.markNeedsAttention('nope');
    await settle();
    expect(lastSessions()?.find((s) => s.name === 'corp')?.needsAttention).toBe(true);
    await controller.startSignIn('corp');
    engine.signIns[0]?.finish();
    await settle();
    expect(lastSessions()?.find((s) => s.name === 'corp')?.needsAttention).toBe(false);
  });

  it('signs out through the engine and sends the new list', async () => {
    const { engine, controller, lastSessions } = setup();
    engine.statuses.set('corp', { signedIn: true, accessTokenExpiresAtMs: 2_000_000, refreshable: true });
    await expect(controller.signOut('corp')).resolves.toEqual({ awsTold: true });
    await settle();
    expect(engine.signedOut).toEqual(['corp']);
    expect(lastSessions()?.find((s) => s.name === 'corp')?.state).toBe('signed-out');
  });

  it('tells the window when AWS could not be told of a sign-out, and until when the token stays valid there', async () => {
    const { engine, controller, lastSessions } = setup();
    engine.statuses.set('corp', { signedIn: true, accessTokenExpiresAtMs: 2_000_000, refreshable: true });
    engine.signOutOutcome = { awsTold: false, code: 'network_error', tokenValidUntilMs: 2_000_000 };
    await expect(controller.signOut('corp')).resolves.toEqual({ awsTold: false, tokenValidUntilMs: 2_000_000 });
    await settle();
    expect(lastSessions()?.find((s) => s.name === 'corp')?.state).toBe('signed-out');
  });

  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['an object', { name: 'corp' }],
    ['an unknown session', 'prod'],
    ['a huge string', 'x'.repeat(100_000)],
  ])('rejects %s as a session name from the page, with a clear error', async (_name, session) => {
    const { engine, controller } = setup();
    for (const call of [
      () => controller.startSignIn(session),
      () => controller.cancelSignIn(session),
      () => controller.signOut(session),
      () => controller.openVerificationPage(session),
      () => controller.copyUserCode(session),
      () => controller.copyVerificationUrl(session),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LatchkeyError);
      expect((error as Error).message.length).toBeLessThan(200);
      expect((error as LatchkeyError).code).toBe('usage_error');
    }
    expect(engine.signIns).toEqual([]);
    expect(engine.signedOut).toEqual([]);
  });

  it.each([['password'], [''], [7], [{}]])('rejects the flow %j', async (flow) => {
    const { engine, controller } = setup();
    await expect(controller.startSignIn('corp', flow)).rejects.toThrow(/"device-code" or "pkce"/);
    expect(engine.signIns).toEqual([]);
  });

  it('cancels its running sign-ins and goes quiet when disposed', async () => {
    const { engine, controller, events } = setup();
    await controller.startSignIn('corp');
    await controller.dispose();
    const count = events.length;
    engine.progress('corp', CODE);
    expect(engine.isSigningIn('corp')).toBe(false);
    expect(events).toHaveLength(count);
  });
});
