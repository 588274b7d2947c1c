import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../main/core/bridge';
import { NotificationPolicy, type NoticeDecision } from '../../../main/core/notification-policy';
import { FakeClock } from '../../support/fake-clock';

const MINUTE = 60_000;

function setup() {
  const clock = new FakeClock();
  const policy = new NotificationPolicy(clock, { formatTime: (ms) => `t${(ms - Date.UTC(2026, 0, 1)) / MINUTE}` });
  return { clock, policy };
}

function signedIn(name: string, endsInMs: number, clock: FakeClock, refreshable = false): SessionView {
  return { name, startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1', state: 'signed-in', accessTokenExpiresAtMs: clock.nowMs() + endsInMs, refreshable, needsAttention: false, clientName: 'Latchkey on host' };
}

function signedOut(name: string): SessionView {
  return { name, startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1', state: 'signed-out', refreshable: false, needsAttention: true, clientName: 'Latchkey on host' };
}

function shown(decision: NoticeDecision) {
  if (decision.kind !== 'show') throw new Error(`expected a notification, got ${decision.kind}`);
  return decision.notice;
}

describe('a tool needs a signed-out session', () => {
  it('notifies once per session per 15 minutes', async () => {
    const { clock, policy } = setup();
    expect(shown(policy.needsSignIn('corp', false)).title).toBe('Sign in to corp');
    expect(policy.needsSignIn('corp', false).kind).toBe('none');
    await clock.advance(14 * MINUTE);
    expect(policy.needsSignIn('corp', false).kind).toBe('none');
    await clock.advance(1 * MINUTE);
    expect(policy.needsSignIn('corp', false).kind).toBe('show');
  });

  it('offers Sign in for the session, naming the profile', () => {
    const { policy } = setup();
    const notice = shown(policy.needsSignIn('corp', false, 'dev-admin'));
    expect(notice).toMatchObject({ signInSession: 'corp', body: 'A tool needs credentials for corp (profile dev-admin).' });
  });

  it('stays quiet while the person is watching the window', () => {
    const { policy } = setup();
    expect(policy.needsSignIn('corp', true).kind).toBe('none');
  });

  it('puts several sessions into one notification, replacing the first', () => {
    const { policy } = setup();
    policy.needsSignIn('corp', false);
    const notice = shown(policy.needsSignIn('dev', false));
    expect(notice.title).toBe('Sign in needed: corp and dev');
    expect(notice.sessions).toEqual(['corp', 'dev']);
    expect(notice.signInSession).toBeUndefined(); // a click opens the window, where both rows wait
  });

  it('starts fresh after the notification was dismissed', () => {
    const { policy } = setup();
    policy.needsSignIn('corp', false);
    policy.dismissed();
    expect(shown(policy.needsSignIn('dev', false)).sessions).toEqual(['dev']);
  });

  it('closes the reminder when the session signs in elsewhere while the window is in front', () => {
    const { policy } = setup();
    policy.needsSignIn('corp', false);
    expect(policy.signInFinished('corp', { ok: true }, true)).toEqual({ kind: 'close' });
  });
});

describe('a session that cannot refresh ends soon', () => {
  it('notifies once when it enters its last 15 minutes', async () => {
    const { clock, policy } = setup();
    const endsAt = clock.nowMs() + 60 * MINUTE;
    const session = () => ({ ...signedIn('corp', 0, clock), accessTokenExpiresAtMs: endsAt });
    expect(policy.sessionsChanged([session()], false).kind).toBe('none');
    expect(policy.nextCheckAtMs([session()])).toBe(endsAt - 15 * MINUTE);
    await clock.advance(45 * MINUTE);
    const notice = shown(policy.sessionsChanged([session()], false));
    expect(notice).toMatchObject({ title: 'corp ends soon', signInSession: 'corp' });
    expect(notice.body).toBe('corp cannot refresh and ends at t60; sign in again to keep working.');
    await clock.advance(5 * MINUTE);
    expect(policy.sessionsChanged([session()], false).kind).toBe('none');
    expect(policy.nextCheckAtMs([session()])).toBeUndefined();
  });

  it('says nothing for a refreshable session', () => {
    const { clock, policy } = setup();
    policy.sessionsChanged([], false);
    expect(policy.sessionsChanged([signedIn('corp', 10 * MINUTE, clock, true)], false).kind).toBe('none');
    expect(policy.nextCheckAtMs([signedIn('corp', 60 * MINUTE, clock, true)])).toBeUndefined();
  });

  it('never on launch: a session already ending at the first snapshot is not announced', () => {
    const { clock, policy } = setup();
    const session = signedIn('corp', 10 * MINUTE, clock);
    expect(policy.sessionsChanged([session], false).kind).toBe('none');
    expect(policy.sessionsChanged([session], false).kind).toBe('none');
  });

  it('announces a new end time again after a new sign-in', async () => {
    const { clock, policy } = setup();
    policy.sessionsChanged([], false);
    expect(policy.sessionsChanged([signedIn('corp', 10 * MINUTE, clock)], false).kind).toBe('show');
    policy.dismissed();
    await clock.advance(MINUTE);
    expect(policy.sessionsChanged([signedIn('corp', 10 * MINUTE, clock)], false).kind).toBe('show');
  });
});

describe('a sign-in finished', () => {
  it.each([
    ['hidden window, success that cannot renew', { ok: true as const, accessTokenExpiresAtMs: Date.UTC(2026, 0, 1) + 60 * MINUTE, refreshable: false }, false, 'Signed in to corp, credentials until t60.'],
    ['hidden window, success that renews', { ok: true as const, accessTokenExpiresAtMs: Date.UTC(2026, 0, 1) + 60 * MINUTE, refreshable: true }, false, 'Signed in to corp; it renews by itself.'],
    ['hidden window, failure', { ok: false as const }, false, 'The sign-in to corp did not finish; nothing was issued.'],
  ])('%s', (_name, outcome, visible, body) => {
    const { policy } = setup();
    expect(shown(policy.signInFinished('corp', outcome, visible)).body).toBe(body);
  });

  it('stays quiet when the window was in view', () => {
    const { policy } = setup();
    expect(policy.signInFinished('corp', { ok: true }, true).kind).toBe('none');
  });

  it('replaces the waiting reminder with the outcome', () => {
    const { policy } = setup();
    policy.needsSignIn('corp', false);
    const notice = shown(policy.signInFinished('corp', { ok: true }, false));
    expect(notice.sessions).toEqual(['corp']);
    expect(notice.title).toBe('Signed in to corp');
  });

  it('lets the next need of a signed-in-then-signed-out session notify at once', () => {
    const { policy } = setup();
    policy.needsSignIn('corp', false);
    policy.signInFinished('corp', { ok: true }, false);
    expect(policy.needsSignIn('corp', false).kind).toBe('show');
  });
});

describe('reasons that resolved themselves leave the notification', () => {
  it('drops a reminder whose session is now signed in', () => {
    const { clock, policy } = setup();
    policy.sessionsChanged([], false);
    policy.needsSignIn('corp', false);
    policy.needsSignIn('dev', false);
    const decision = policy.sessionsChanged([signedIn('corp', 60 * MINUTE, clock, true), signedOut('dev')], false);
    expect(shown(decision).sessions).toEqual(['dev']);
    expect(policy.sessionsChanged([signedIn('corp', 60 * MINUTE, clock, true), signedIn('dev', 60 * MINUTE, clock, true)], false)).toEqual({ kind: 'close' });
  });
});
