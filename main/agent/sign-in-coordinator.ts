import type { SignInFlow } from '../core/client-registrar';
import type { Clock } from '../core/clock';
import { LatchkeyError } from '../core/errors';
import { DisposableStore, type Disposable } from '../core/lifecycle';
import type { SessionEvent } from '../core/session-events';
import type { StoredTokens } from '../core/session-vault';
import type { SignOutOutcome } from '../core/session-tokens';
import type { SignInEngine } from '../core/sign-in-engine';
import type { SsoSessionSettings } from '../core/sso-session-settings';
import { SIGN_IN_OUTCOME_KEEP_MS } from '../core/time-windows';
import type { SignInRequesterWire, SignInStarterWire } from './agent-wire-types';

interface InFlight {
  promise: Promise<StoredTokens>;
  controller: AbortController;
  openBrowser: boolean;
  /** Who asked for it, when the caller said (`latchkey login`). */
  requester?: SignInRequesterWire;
  /** The latest event that shows the person what to do (the user code, the authorize URL). */
  prompt?: Extract<SessionEvent, { type: 'sign-in-progress' }>;
}

export type WaitOutcome = { state: 'signed-in'; accessTokenExpiresAtMs: number } | { state: 'signing-in' };

/**
 * The sign-ins the agent's callers started: start or join, wait with a bound, cancel.
 * The engine runs one flow per session whoever asks; this adds what the socket needs
 * on top: a way to cancel, whether the caller wanted a browser, the prompt to replay to
 * an event stream that connects late, and the reason of a failure that ended just
 * before someone asked.
 */
export class SignInCoordinator implements Disposable {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly recentFailures = new Map<string, { error: unknown; atMs: number }>();
  private readonly disposables = new DisposableStore();
  private disposed = false;

  /**
   * `written` resolves once the files a sign-in promises are in place (the AWS CLI SSO
   * cache with `latchkey_sync_aws_cache`): a wait reports success only after it, so
   * `latchkey login && aws ...` never finds the cache file missing.
   */
  constructor(
    private readonly engine: SignInEngine,
    private readonly clock: Clock,
    private readonly written: (session: string) => Promise<void> = async () => undefined,
  ) {
    this.disposables.add(engine.events.on((event) => this.remember(event)));
  }

  /** Starts a sign-in, or joins the one in flight (whose flow then stands). */
  start(session: SsoSessionSettings, flow: SignInFlow, openBrowser: boolean, requester?: SignInRequesterWire): void {
    if (this.disposed) throw new LatchkeyError('cancelled', 'The agent is stopping.');
    if (this.inFlight.has(session.name)) return;
    const controller = new AbortController();
    const promise = this.engine.signIn(session, flow, controller.signal);
    const entry: InFlight = { promise, controller, openBrowser, ...(requester === undefined ? {} : { requester }) };
    this.inFlight.set(session.name, entry);
    this.recentFailures.delete(session.name);
    promise.then(
      () => this.settle(session.name, entry),
      (error: unknown) => {
        this.settle(session.name, entry);
        this.recentFailures.set(session.name, { error, atMs: this.clock.nowMs() });
      },
    );
  }

  isSigningIn(session: string): boolean {
    return this.inFlight.has(session) || this.engine.isSigningIn(session);
  }

  /**
   * Who started the sign-in in flight, for callers that must say where it runs. A sign-in
   * the engine runs without this coordinator was started in process, by the desktop
   * app's window: nothing else in the agent starts one.
   */
  starter(session: string): SignInStarterWire | undefined {
    const entry = this.inFlight.get(session);
    if (entry !== undefined) return entry.requester === undefined ? { by: 'unknown' } : { by: 'command', ...entry.requester };
    return this.engine.isSigningIn(session) ? { by: 'app' } : undefined;
  }

  /**
   * Waits for the sign-in in flight, at most `timeoutMs`. Resolves `signing-in` on timeout;
   * rejects with the sign-in's own error when it failed. Without one in flight it reports
   * a failure of the last minute, else the stored state (`signed_out` when there is none).
   */
  async wait(session: SsoSessionSettings, timeoutMs: number, signal: AbortSignal): Promise<WaitOutcome> {
    const entry = this.inFlight.get(session.name);
    if (entry === undefined) return this.settledState(session);
    const timer = new AbortController();
    const stop = (): void => timer.abort();
    signal.addEventListener('abort', stop, { once: true });
    try {
      const timedOut = this.clock.sleep(timeoutMs, timer.signal).then(
        () => 'timeout' as const,
        () => 'timeout' as const,
      );
      const signedIn = entry.promise.then(async (tokens) => {
        await this.written(session.name);
        return tokens;
      });
      const outcome = await Promise.race([signedIn, timedOut]);
      if (outcome === 'timeout') {
        if (signal.aborted) throw new LatchkeyError('cancelled', 'The wait ended because the caller left or the agent stopped.');
        return { state: 'signing-in' };
      }
      return { state: 'signed-in', accessTokenExpiresAtMs: outcome.accessTokenExpiresAtMs };
    } finally {
      timer.abort();
      signal.removeEventListener('abort', stop);
    }
  }

  /**
   * Cancels a sign-in in flight and signs the session out. Resolves once the files the
   * sign-out changes are written too (the AWS CLI cache file holding the logged-out
   * token is removed): answered before, an agent killed just after left that file behind,
   * and the next agent imported the dead token as a sign-in.
   */
  async signOut(session: SsoSessionSettings): Promise<SignOutOutcome> {
    this.cancel(session.name);
    const outcome = await this.engine.signOut(session);
    await this.written(session.name);
    return outcome;
  }

  /** Cancels the sign-in in flight; `false` when there was none this agent started. */
  cancel(session: string): boolean {
    const entry = this.inFlight.get(session);
    entry?.controller.abort();
    return entry !== undefined;
  }

  /** The prompts of sign-ins in flight, for an event stream that has just connected. */
  prompts(): Extract<SessionEvent, { type: 'sign-in-progress' }>[] {
    return [...this.inFlight.values()].flatMap((entry) => (entry.prompt === undefined ? [] : [entry.prompt]));
  }

  /** Whether the caller that started the PKCE sign-in with this authorize URL wanted a browser. */
  browserWantedFor(url: string): boolean {
    for (const entry of this.inFlight.values()) {
      const progress = entry.prompt?.progress;
      if (progress?.type === 'browser-opening' && progress.authorizeUrl === url) return entry.openBrowser;
      if (progress?.type === 'code-issued' && progress.verificationUriComplete === url) return entry.openBrowser;
    }
    return false;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const entry of this.inFlight.values()) entry.controller.abort();
    await Promise.allSettled([...this.inFlight.values()].map((entry) => entry.promise));
    await this.disposables.dispose();
  }

  private async settledState(session: SsoSessionSettings): Promise<WaitOutcome> {
    const status = await this.engine.status(session.name);
    const failure = this.recentFailures.get(session.name);
    if (!status.signedIn && failure !== undefined && this.clock.nowMs() - failure.atMs < SIGN_IN_OUTCOME_KEEP_MS) throw failure.error;
    // Joins a sign-in started elsewhere (the desktop window), or fails with signed_out.
    await this.engine.accessToken(session);
    await this.written(session.name);
    const expiresAtMs = (await this.engine.status(session.name)).accessTokenExpiresAtMs ?? this.clock.nowMs();
    return { state: 'signed-in', accessTokenExpiresAtMs: expiresAtMs };
  }

  private settle(session: string, entry: InFlight): void {
    if (this.inFlight.get(session) === entry) this.inFlight.delete(session);
  }

  private remember(event: SessionEvent): void {
    if (event.type !== 'sign-in-progress') return;
    const entry = this.inFlight.get(event.session);
    const kind = event.progress.type;
    if (entry !== undefined && (kind === 'code-issued' || kind === 'browser-opening')) entry.prompt = event;
  }
}
