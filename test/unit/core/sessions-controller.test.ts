import { afterEach, describe, expect, it } from 'vitest';
import type { BridgeEvent, SessionView } from '../../../main/core/bridge';
import type { SignInFlow } from '../../../main/core/client-registrar';
import { Emitter } from '../../../main/core/emitter';
import { LatchkeyError, isLatchkeyError } from '../../../main/core/errors';
import type { Disposable } from '../../../main/core/lifecycle';
import { isPrintable } from '../../../main/core/printable-text';
import type { AccountsView, AddedProfile, RecentRoleView, RoleActions } from '../../../main/core/role-actions';
import type { SessionEvent, SignInProgress } from '../../../main/core/session-events';
import type { SignOutOutcome, TokenStatus } from '../../../main/core/session-tokens';
import { SessionsController, type RoleBrowserOptions, type SessionsEngine } from '../../../main/core/sessions-controller';
import type { SsoSessionSettings } from '../../../main/core/sso-session-settings';
import { FakeClock } from '../../support/fake-clock';

const corp: SsoSessionSettings = { name: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', registrationScopes: ['sso:account:access'] };
const lab: SsoSessionSettings = { name: 'lab', startUrl: 'https://lab.awsapps.com/start', region: 'us-east-1', registrationScopes: ['sso:account:access'] };

const CODE = {
  type: 'code-issued',
  userCode: 'BCDF-GHJK',
  verificationUri: 'https://device.sso.eu-west-1.amazonaws.com/',
  verificationUriComplete: 'https://device.sso.eu-west-1.amazonaws.com/?user_code=BCDF-GHJK',
  expiresAtMs: 0,
} satisfies SignInProgress;

/** An engine whose sign-ins end when the test says, or when their signal aborts. */
class FakeEngine implements SessionsEngine {
  readonly events = new Emitter<SessionEvent>();
  readonly signIns: { session: string; flow: SignInFlow; finish: (error?: Error) => void }[] = [];
  readonly signedOut: string[] = [];
  readonly retries: string[] = [];
  readonly statuses = new Map<string, TokenStatus>();
  private readonly running = new Set<string>();

  retryNow(session: string): void {
    this.retries.push(session);
  }

  signIn(session: SsoSessionSettings, flow: SignInFlow, signal?: AbortSignal): Promise<unknown> {
    this.running.add(session.name);
    return new Promise((resolve, reject) => {
      const finish = (error?: Error): void => {
        this.running.delete(session.name);
        if (error) {
          this.events.fire({ type: 'sign-in-failed', session: session.name, code: error instanceof LatchkeyError ? error.code : 'unknown' });
          reject(error);
        } else {
          this.statuses.set(session.name, { signedIn: true, accessTokenExpiresAtMs: 5_000_000, refreshable: true });
          this.events.fire({ type: 'signed-in', session: session.name, accessTokenExpiresAtMs: 5_000_000, refreshable: true });
          resolve({});
        }
      };
      signal?.addEventListener('abort', () => finish(signal.reason as Error), { once: true });
      this.signIns.push({ session: session.name, flow, finish });
    });
  }

  isSigningIn(session: string): boolean {
    return this.running.has(session);
  }

  async status(session: string): Promise<TokenStatus> {
    return this.statuses.get(session) ?? { signedIn: false, refreshable: false };
  }

  /** What the next sign-out answers: AWS told, or not (the portal Logout failed). */
  signOutOutcome: SignOutOutcome = { awsTold: true };

  async signOut(session: SsoSessionSettings): Promise<SignOutOutcome> {
    this.signedOut.push(session.name);
    this.statuses.delete(session.name);
    return this.signOutOutcome;
  }

  progress(session: string, progress: SignInProgress): void {
    this.events.fire({ type: 'sign-in-progress', session, progress });
  }
}

const controllers: SessionsController[] = [];
afterEach(async () => {
  for (const controller of controllers.splice(0)) await controller.dispose();
});

function setup(flow: SignInFlow = 'device-code', roles?: RoleBrowserOptions) {
  const engine = new FakeEngine();
  const clock = new FakeClock({ startMs: 1_000_000 });
  const opened: string[] = [];
  const copied: string[] = [];
  const controller = new SessionsController({
    engine,
    sessions: () => [corp, lab],
    clock,
    openExternal: async (url) => void opened.push(url),
    writeClipboard: (text) => void copied.push(text),
    chooseFlow: () => flow,
    clientName: 'Latchkey on test-host',
    clockLocale: 'de-DE',
    ...(roles === undefined ? {} : { roles }),
  });
  controllers.push(controller);
  const events: BridgeEvent[] = [];
  controller.onEvent((event) => events.push(event));
  const issueCode = (): void => engine.progress('corp', { ...CODE, expiresAtMs: clock.nowMs() + 600_000 });
  const lastSessions = (): SessionView[] | undefined =>
    events.flatMap((event) => (event.type === 'sessions-changed' ? [event.sessions] : [])).at(-1);
  return { engine, clock, controller, events, opened, copied, issueCode, lastSessions };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

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

const LISTINGS: Record<string, AccountsView> = {
  corp: {
    session: 'corp',
    listedAtMs: 900_000,
    accounts: [
      { accountId: '111111111111', accountName: 'Development', roles: ['Developer', 'ReadOnly'] },
      { accountId: '222222222222', accountName: 'Production', emailAddress: 'prod@example.com', roles: ['ReadOnly'] },
    ],
  },
  lab: { session: 'lab', listedAtMs: 900_000, accounts: [{ accountId: '333333333333', accountName: 'Lab', roles: ['Admin'] }] },
};
const DEVELOPER = { session: 'corp', accountId: '111111111111', roleName: 'Developer' };
/** Stands for what only the role actions may hold: a session token, a console SigninToken. */
const FAKE_SECRET = 'FwoGZXIvYXdzEXAMPLEdoNotLeakThisToken';
const SIGN_IN_URL = `https://signin.aws.amazon.com/federation?Action=login&SigninToken=${FAKE_SECRET}`;
const EXPORT_TEXT = `export AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nexport AWS_SECRET_ACCESS_KEY=${FAKE_SECRET}\nexport AWS_SESSION_TOKEN=${FAKE_SECRET}\n`;
const ADDED: AddedProfile = { profile: 'Development-Developer', configFile: '/home/ana/.aws/config', added: true };
const RECENT: RecentRoleView[] = [{ ...DEVELOPER, accountName: 'Development', usedAtMs: 950_000 }];

type RoleCall = [method: keyof RoleActions, session: SsoSessionSettings, ...args: unknown[]];

/** Role actions that record each call and answer from the listings above, or fail as the test says. */
class FakeRoleActions implements RoleActions {
  readonly calls: RoleCall[] = [];
  readonly recentChanges = new Emitter<RecentRoleView[]>();
  listeners = 0;
  failure: Error | undefined;

  async accounts(session: SsoSessionSettings, refresh: boolean): Promise<AccountsView> {
    this.calls.push(['accounts', session, refresh]);
    const listing = LISTINGS[session.name];
    if (listing === undefined) throw new Error(`no listing for ${session.name}`);
    return listing;
  }

  recentRoles(): RecentRoleView[] {
    return RECENT;
  }

  onRecentRolesChanged(listener: (recent: RecentRoleView[]) => void): Disposable {
    this.listeners += 1;
    const subscription = this.recentChanges.on(listener);
    return {
      dispose: () => {
        this.listeners -= 1;
        subscription.dispose();
      },
    };
  }

  async openConsole(session: SsoSessionSettings, accountId: string, roleName: string): Promise<void> {
    this.calls.push(['openConsole', session, accountId, roleName]);
    if (this.failure) throw this.failure;
    // The real one resolves with nothing; this one resolves with the URL, so that a
    // controller passing the value on to the page would be caught.
    return SIGN_IN_URL as unknown as undefined;
  }

  async exportCommands(session: SsoSessionSettings, accountId: string, roleName: string): Promise<string> {
    this.calls.push(['exportCommands', session, accountId, roleName]);
    if (this.failure) throw this.failure;
    return EXPORT_TEXT;
  }

  async addProfile(session: SsoSessionSettings, accountId: string, roleName: string): Promise<AddedProfile> {
    this.calls.push(['addProfile', session, accountId, roleName]);
    if (this.failure) throw this.failure;
    return ADDED;
  }

  /** The calls other than the listing check every per-role action makes first. */
  actionCalls(): RoleCall[] {
    return this.calls.filter(([method]) => method !== 'accounts');
  }
}

function setupRoles(options: Partial<Omit<RoleBrowserOptions, 'actions'>> = {}) {
  const actions = new FakeRoleActions();
  const t = setup('device-code', { actions, latchkeyCommand: ['/usr/bin/node', '/opt/latchkey/latchkey.mjs'], dialect: 'posix', ...options });
  return { ...t, actions };
}

type RoleMethod = 'openConsole' | 'copyExportCommands' | 'copyCredentialProcessLine' | 'addProfile';
const ROLE_METHODS: readonly RoleMethod[] = ['openConsole', 'copyExportCommands', 'copyCredentialProcessLine', 'addProfile'];

describe('SessionsController account browser', () => {
  it("lists a session's accounts from the kept listing, and lists again only when the page asks", async () => {
    const { controller, actions } = setupRoles();
    await expect(controller.listAccounts('corp')).resolves.toEqual(LISTINGS['corp']);
    await controller.listAccounts('lab', true);
    expect(actions.calls).toEqual([
      ['accounts', corp, false],
      ['accounts', lab, true],
    ]);
  });

  it.each([['yes'], [1], [null], [{}]])('refuses %j as the refresh flag, without listing', async (refresh) => {
    const { controller, actions } = setupRoles();
    await expect(controller.listAccounts('corp', refresh)).rejects.toThrow('refresh must be true or false.');
    expect(actions.calls).toEqual([]);
  });

  it.each([['prod'], [''], [7]])('refuses to list the accounts of %j, without listing', async (session) => {
    const { controller, actions } = setupRoles();
    await expect(controller.listAccounts(session)).rejects.toSatisfy((error: unknown) => isLatchkeyError(error, 'usage_error'));
    expect(actions.calls).toEqual([]);
  });

  it('refuses every account browser action when the window was given no role actions', async () => {
    const { controller, copied } = setup();
    for (const call of [
      () => controller.listAccounts('corp'),
      () => controller.recentRoles(),
      ...ROLE_METHODS.map((method) => () => controller[method](DEVELOPER)),
    ]) {
      await expect(call()).rejects.toThrow('This window has no account browser.');
    }
    expect(copied).toEqual([]);
  });

  it.each<[string, unknown, RegExp, boolean]>([
    ['a string instead of a role', 'corp', /^A role \(\{ session, accountId, roleName \}\) is required\.$/, false],
    ['null', null, /^A role .* is required\.$/, false],
    ['a number', 42, /^A role .* is required\.$/, false],
    ['an unknown session', { ...DEVELOPER, session: 'prod' }, /^No session named "prod" in the AWS config\.$/, false],
    ['a session that is not a string', { ...DEVELOPER, session: 7 }, /^A session name \(a non-empty string\) is required\.$/, false],
    ['no session at all', { accountId: '111111111111', roleName: 'Developer' }, /^A session name .* is required\.$/, false],
    ['an account id of 11 digits', { ...DEVELOPER, accountId: '11111111111' }, /^The account id must be 12 digits, not "11111111111"\.$/, false],
    ['an account id of 13 digits', { ...DEVELOPER, accountId: '1111111111111' }, /^The account id must be 12 digits/, false],
    ['an account id given as a number', { ...DEVELOPER, accountId: 111111111111 }, /^The account id must be 12 digits, not "number"\.$/, false],
    ['an account id with letters', { ...DEVELOPER, accountId: '11111111111a' }, /^The account id must be 12 digits/, false],
    ['an account id with a line break', { ...DEVELOPER, accountId: '111111111111\n' }, /^The account id must be 12 digits/, false],
    ['a role name with a line break and a section', { ...DEVELOPER, roleName: 'Developer\n[profile evil]' }, /is not an IAM role name\.$/, false],
    ['a role name with an escape sequence', { ...DEVELOPER, roleName: 'Dev\u001b[2J' }, /is not an IAM role name\.$/, false],
    ['a role name with a NUL', { ...DEVELOPER, roleName: 'Dev\u0000' }, /is not an IAM role name\.$/, false],
    ['a role name given as a number', { ...DEVELOPER, roleName: 5 }, /^"number" is not an IAM role name\.$/, false],
    ['a role no account of the listing has', { ...DEVELOPER, roleName: 'Admin' }, /^corp has no role "Admin" in account 111111111111; reload the accounts and roles\.$/, true],
    ['a role of another account', { ...DEVELOPER, accountId: '222222222222' }, /^corp has no role "Developer" in account 222222222222;/, true],
    ['an account the listing does not have', { ...DEVELOPER, accountId: '999999999999' }, /^corp has no role "Developer" in account 999999999999;/, true],
    ["a role of another session's listing", { session: 'lab', accountId: '111111111111', roleName: 'Developer' }, /^lab has no role "Developer" in account 111111111111;/, true],
  ])('refuses %s from the page in every per-role action, with a clear sentence and without acting', async (_name, role, message, checksListing) => {
    const { controller, actions, copied, opened, events } = setupRoles();
    for (const method of ROLE_METHODS) {
      const error = await controller[method](role).catch((e: unknown) => e);
      expect(isLatchkeyError(error, 'usage_error')).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message.length).toBeLessThan(200);
      expect(isPrintable((error as Error).message)).toBe(true);
    }
    expect(actions.actionCalls()).toEqual([]);
    // Only a role of the right shape is looked up, in the kept listing of its own session.
    const session = checksListing ? (role as { session: string }).session : undefined;
    expect(actions.calls).toEqual(
      session === undefined ? [] : ROLE_METHODS.map(() => ['accounts', session === 'lab' ? lab : corp, false]),
    );
    expect(copied).toEqual([]);
    expect(opened).toEqual([]);
    expect(events).toEqual([]);
  });

  it('puts the export commands on the clipboard, and into nothing the page receives', async () => {
    const { controller, actions, copied, events } = setupRoles();
    await expect(controller.copyExportCommands(DEVELOPER)).resolves.toBeUndefined();
    expect(actions.actionCalls()).toEqual([['exportCommands', corp, '111111111111', 'Developer']]);
    expect(copied).toEqual([EXPORT_TEXT]);
    expect(events).toEqual([]);
  });

  it.each<[string, Omit<RoleBrowserOptions, 'actions'>, string]>([
    [
      'posix',
      { latchkeyCommand: ['/opt/Latchkey App/latchkey'], dialect: 'posix' },
      "credential_process = '/opt/Latchkey App/latchkey' credential-process --session corp --account 111111111111 --role Developer\nregion = eu-west-1",
    ],
    [
      'windows',
      { latchkeyCommand: ['C:\\Program Files\\Latchkey\\latchkey.exe'], dialect: 'windows' },
      'credential_process = "C:\\Program Files\\Latchkey\\latchkey.exe" credential-process --session corp --account 111111111111 --role Developer\r\nregion = eu-west-1',
    ],
  ])('copies a credential_process line built from the Latchkey command, quoted for %s', async (_dialect, browser, line) => {
    const { controller, actions, copied, events } = setupRoles(browser);
    await expect(controller.copyCredentialProcessLine(DEVELOPER)).resolves.toBeUndefined();
    expect(copied).toEqual([line]);
    // The line names the role; it needs no credentials, so none are fetched.
    expect(actions.actionCalls()).toEqual([]);
    expect(events).toEqual([]);
  });

  it("opens the console through the role actions with the session's settings, and gives the page nothing back", async () => {
    const { controller, actions, copied, opened, events } = setupRoles();
    await expect(controller.openConsole(DEVELOPER)).resolves.toBeUndefined();
    expect(actions.actionCalls()).toEqual([['openConsole', corp, '111111111111', 'Developer']]);
    expect(actions.calls[0]).toEqual(['accounts', corp, false]);
    expect(opened).toEqual([]);
    expect(copied).toEqual([]);
    expect(events).toEqual([]);
  });

  it('adds a profile through the role actions and tells the page its name and file', async () => {
    const { controller, actions } = setupRoles();
    await expect(controller.addProfile({ session: 'corp', accountId: '222222222222', roleName: 'ReadOnly' })).resolves.toEqual(ADDED);
    expect(actions.actionCalls()).toEqual([['addProfile', corp, '222222222222', 'ReadOnly']]);
  });

  it.each(['openConsole', 'copyExportCommands', 'addProfile'] as const)(
    "passes a role action's LatchkeyError of %s to the page as its own sentence, and copies nothing",
    async (method) => {
      const { controller, actions, copied, events } = setupRoles();
      actions.failure = new LatchkeyError('signed_out', 'corp is signed out; sign in to use its roles.');
      await expect(controller[method](DEVELOPER)).rejects.toBe(actions.failure);
      expect(copied).toEqual([]);
      expect(events).toEqual([]);
    },
  );

  it.each(['openConsole', 'copyExportCommands', 'addProfile'] as const)(
    'keeps an untyped failure of %s untyped, so the page gets the generic sentence and not its message with the secret',
    async (method) => {
      const { controller, actions, copied, events } = setupRoles();
      actions.failure = new Error(`federation answered 400 for ${SIGN_IN_URL}`);
      const error = await controller[method](DEVELOPER).catch((e: unknown) => e);
      // The IPC layer (main/desktop/ipc-main.ts, toPageError) gives the page a fixed
      // sentence for anything but a LatchkeyError; wrapping this in one would send the URL.
      expect(error).toBe(actions.failure);
      expect(isLatchkeyError(error)).toBe(false);
      expect(copied).toEqual([]);
      expect(JSON.stringify(events)).not.toContain(FAKE_SECRET);
    },
  );

  it('gives the page the recent roles, and sends them again when the role actions announce a change, until disposed', async () => {
    const { controller, actions, events } = setupRoles();
    await expect(controller.recentRoles()).resolves.toEqual(RECENT);
    const changed: RecentRoleView[] = [{ session: 'lab', accountId: '333333333333', roleName: 'Admin', accountName: 'Lab', usedAtMs: 990_000 }, ...RECENT];
    actions.recentChanges.fire(changed);
    expect(events).toEqual([{ type: 'recent-roles-changed', recent: changed }]);
    expect(actions.listeners).toBe(1);
    await controller.dispose();
    expect(actions.listeners).toBe(0);
    actions.recentChanges.fire(RECENT);
    expect(events).toHaveLength(1);
  });

  it("sends focus-account-search for the tray's Open console…", () => {
    const { controller, events } = setupRoles();
    controller.focusAccountSearch();
    expect(events).toEqual([{ type: 'focus-account-search' }]);
  });
});
