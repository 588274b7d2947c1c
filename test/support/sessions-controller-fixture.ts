import type { BridgeEvent, SessionView } from '../../main/core/bridge';
import type { SignInFlow } from '../../main/core/client-registrar';
import { Emitter } from '../../main/core/emitter';
import { LatchkeyError } from '../../main/core/errors';
import type { SessionEvent, SignInProgress } from '../../main/core/session-events';
import type { SignOutOutcome, TokenStatus } from '../../main/core/session-tokens';
import { SessionsController, type RoleBrowserOptions, type SessionsEngine } from '../../main/core/sessions-controller';
import type { SsoSessionSettings } from '../../main/core/sso-session-settings';
import { FakeClock } from './fake-clock';

// The SessionsController over a fake engine, as its unit tests (sessions, and the account browser) build it.
export const corp: SsoSessionSettings = { name: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', registrationScopes: ['sso:account:access'] };
export const lab: SsoSessionSettings = { name: 'lab', startUrl: 'https://lab.awsapps.com/start', region: 'us-east-1', registrationScopes: ['sso:account:access'] };

export const CODE = {
  type: 'code-issued',
  userCode: 'BCDF-GHJK',
  verificationUri: 'https://device.sso.eu-west-1.amazonaws.com/',
  verificationUriComplete: 'https://device.sso.eu-west-1.amazonaws.com/?user_code=BCDF-GHJK',
  expiresAtMs: 0,
} satisfies SignInProgress;

/** An engine whose sign-ins end when the test says, or when their signal aborts. */
export class FakeEngine implements SessionsEngine {
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

/** Disposes every controller setup() made; each test file calls it after each test. */
export async function disposeControllers(): Promise<void> {
  for (const controller of controllers.splice(0)) await controller.dispose();
}

export function setup(flow: SignInFlow = 'device-code', roles?: RoleBrowserOptions) {
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

export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
}
