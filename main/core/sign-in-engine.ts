import { AccountDirectory, type AccountWithRoles } from './account-directory';
import { AccountListings, type AccountListingOptions } from './account-listings';
import type { ImportedSignIn } from './aws-sso-cache-import';
import { ClientRegistrar, type SignInFlow } from './client-registrar';
import type { Clock } from './clock';
import { Emitter } from './emitter';
import { isLatchkeyError } from './errors';
import type { IdentityCenterApis } from './identity-center-api';
import type { StartFlowLaunch } from './launch-links';
import { DisposableStore, type Disposable } from './lifecycle';
import type { Logger } from './logger';
import type { StartLoopbackRedirect } from './pkce-flow';
import { RoleCredentials } from './role-credentials';
import type { SessionEvent } from './session-events';
import { SessionTokens, type SignOutOutcome, type TokenStatus } from './session-tokens';
import type { SessionVault, StoredRegistration, StoredRoleCredentials, StoredTokens } from './session-vault';
import type { SsoSessionSettings } from './sso-session-settings';
import { deviceCodeRunner, pkceRunner } from './sign-in-flow-runners';
import type { SignInPeer } from './sign-in-peer';
import { TokenRefresher } from './token-refresher';
import { Wakeup } from './wakeup';

export interface SignInEngineOptions {
  vault: SessionVault;
  apis: IdentityCenterApis;
  clock: Clock;
  logger: Logger;
  /** Shown on the AWS approval page ("Latchkey on <hostname>"). */
  clientName: string;
  /** The OIDC base URL of a region, where the browser finds `/authorize`. */
  oidcEndpoint: (region: string) => string;
  startLoopback: StartLoopbackRedirect;
  /** The device code's launch links (main/core/launch-links.ts); without it no browser opens for a code. */
  startLaunch?: StartFlowLaunch;
  openBrowser: (url: string) => Promise<void>;
  /**
   * Asked when a session turns out to be signed out, before the caller is told: it may
   * adopt a sign-in made elsewhere (the AWS CLI's SSO cache) and answer true, and the
   * call is then tried once more.
   */
  recoverSignedOut?: (session: SsoSessionSettings) => Promise<boolean>;
  /** A client sharing the sessions' sign-ins (the AWS CLI's SSO cache): see sign-in-peer.ts. */
  peer?: SignInPeer;
}

/** Why and when a session was last signed out, while it stays signed out (kept in memory only). */
export interface SignOutRecord {
  reason: Extract<SessionEvent, { type: 'signed-out' }>['reason'];
  atMs: number;
}

/** A session's records as the vault holds them, for the AWS CLI cache export. Secrets: never log them. */
export interface ExportableSession {
  tokens: StoredTokens;
  registration?: StoredRegistration;
}

/**
 * Everything sign-in: the one object the agent and the desktop app hold. It owns the
 * refresher and the credential prefetch, and releases them on dispose.
 */
export class SignInEngine implements Disposable {
  readonly events = new Emitter<SessionEvent>();
  private readonly tokens: SessionTokens;
  private readonly refresher: TokenRefresher;
  private readonly credentials: RoleCredentials;
  private readonly listings: AccountListings;
  private readonly disposables = new DisposableStore();
  private readonly known = new Map<string, SsoSessionSettings>();
  private readonly retryWakeups = new Map<string, Wakeup>();
  private readonly vault: SessionVault;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly signOuts = new Map<string, SignOutRecord>();
  private readonly recoverSignedOut: SignInEngineOptions['recoverSignedOut'];

  constructor(options: SignInEngineOptions) {
    const { vault, apis, clock, logger } = options;
    this.vault = vault;
    this.clock = clock;
    this.logger = logger;
    this.recoverSignedOut = options.recoverSignedOut;
    const registrar = new ClientRegistrar({ vault, apis, clock, clientName: options.clientName });
    this.tokens = new SessionTokens({
      vault,
      apis,
      clock,
      registrar,
      flows: { 'device-code': deviceCodeRunner(apis, clock, options.startLaunch), pkce: pkceRunner({ ...options, oidc: (region) => apis.oidc(region) }) },
      events: this.events,
      logger,
      peer: options.peer,
    });
    this.refresher = this.disposables.add(new TokenRefresher(this.tokens, clock, logger));
    this.credentials = this.disposables.add(new RoleCredentials({ vault, apis, tokens: this.tokens, clock, logger }));
    this.listings = new AccountListings(new AccountDirectory({ apis, tokens: this.tokens, clock }), clock);
    this.disposables.add(this.events.on((event) => this.onSessionEvent(event)));
  }

  /** Starts keeping the session fresh if it holds tokens from an earlier run. */
  async resume(session: SsoSessionSettings): Promise<void> {
    this.known.set(session.name, session);
    if ((await this.tokens.status(session.name)).signedIn) this.refresher.watch(session);
  }

  signIn(session: SsoSessionSettings, flow: SignInFlow, signal?: AbortSignal): Promise<StoredTokens> {
    this.known.set(session.name, session);
    if (this.tokens.isSigningIn(session.name)) return this.tokens.signIn(session, { flow, signal });
    const retryNow = new Wakeup();
    this.retryWakeups.set(session.name, retryNow);
    return this.tokens.signIn(session, { flow, signal, retryNow }).finally(() => {
      if (this.retryWakeups.get(session.name) === retryNow) this.retryWakeups.delete(session.name);
    });
  }

  /** The system woke from sleep: refreshes that fell due while it slept run now (TokenRefresher.wake). */
  systemResumed(): void {
    this.refresher.wake();
  }

  /** The person's "Retry now" after network trouble: the sign-in polls again without waiting out its backoff. */
  retryNow(session: string): void {
    this.retryWakeups.get(session)?.fire();
  }

  isSigningIn(session: string): boolean {
    return this.tokens.isSigningIn(session);
  }

  accessToken(session: SsoSessionSettings): Promise<string> {
    return this.recovering(session, () => this.tokens.accessToken(session));
  }

  /** The refresh running for this session, if any: one behind a request, the refresher's, or a verify. */
  refreshInFlight(session: string): Promise<StoredTokens> | undefined {
    return this.tokens.refreshInFlight(session);
  }

  /** The token accessToken serves, with its own expiry (a refresh may be running behind it). */
  usableTokens(session: SsoSessionSettings): Promise<StoredTokens> {
    return this.recovering(session, () => this.tokens.usableTokens(session));
  }

  credentialsFor(session: SsoSessionSettings, accountId: string, roleName: string): Promise<StoredRoleCredentials> {
    return this.recovering(session, () => this.credentials.get(session, accountId, roleName));
  }

  /** The listing kept for the session, whatever its age (account-listings.ts `latest`). */
  keptAccounts(session: SsoSessionSettings): { accounts: AccountWithRoles[]; listedAtMs: number } | undefined {
    return this.listings.latest(session);
  }

  /** The session's accounts and roles; a recent listing is reused (account-listings.ts) unless `refresh` asks anew. */
  accounts(session: SsoSessionSettings, options: AccountListingOptions = {}): Promise<AccountWithRoles[]> {
    return this.recovering(session, () => this.listings.list(session, options));
  }

  /** The session's tokens and, when there is one, its client registration. */
  async exportableSession(session: string): Promise<ExportableSession | undefined> {
    const tokens = await this.vault.tokens(session);
    if (!tokens) return undefined;
    const registration = await this.vault.registration(session);
    return registration === undefined ? { tokens } : { tokens, registration };
  }

  /**
   * Stores a sign-in another tool made as this session's own and announces `signed-in`,
   * unless the session is signed in or a sign-in is running (those win). Returns
   * whether it adopted the sign-in.
   */
  async adopt(session: SsoSessionSettings, signIn: ImportedSignIn): Promise<boolean> {
    if (this.tokens.isSigningIn(session.name) || (await this.tokens.status(session.name)).signedIn) return false;
    this.known.set(session.name, session);
    if (signIn.registration !== undefined) await this.vault.saveRegistration(session.name, signIn.registration);
    await this.vault.saveTokens(session.name, signIn.tokens);
    this.events.fire({
      type: 'signed-in',
      session: session.name,
      accessTokenExpiresAtMs: signIn.tokens.accessTokenExpiresAtMs,
      refreshable: signIn.tokens.refreshToken !== undefined,
    });
    return true;
  }

  status(session: string): Promise<TokenStatus> {
    return this.tokens.status(session);
  }

  /** Why the session is signed out, when this engine saw it happen. */
  lastSignOut(session: string): SignOutRecord | undefined {
    return this.signOuts.get(session);
  }

  /**
   * Asks AWS whether the session's sign-in still stands, by refreshing it now: for when a
   * sign-out elsewhere may have ended it (`aws sso logout` removed the shared cache file).
   * A rejected refresh signs the session out with its reason; anything else is only logged.
   */
  async verify(session: SsoSessionSettings): Promise<void> {
    if (!(await this.tokens.status(session.name)).refreshable) return;
    try {
      await this.tokens.refresh(session);
    } catch (error) {
      if (!isLatchkeyError(error, 'signed_out')) this.logger.warn('Could not check the sign-in with AWS', { session: session.name, code: isLatchkeyError(error) ? error.code : 'internal_error' });
    }
  }

  signOut(session: SsoSessionSettings): Promise<SignOutOutcome> {
    return this.tokens.signOut(session);
  }

  dispose(): Promise<void> {
    return this.disposables.dispose();
  }

  private async recovering<T>(session: SsoSessionSettings, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!isLatchkeyError(error, 'signed_out') || this.recoverSignedOut === undefined) throw error;
      if (!(await this.recoverSignedOut(session))) throw error;
      return run();
    }
  }

  private onSessionEvent(event: SessionEvent): void {
    const session = this.known.get(event.session);
    if (event.type === 'signed-in') this.signOuts.delete(event.session);
    // Another sign-in may be another person with other assignments.
    if (event.type === 'signed-in' || event.type === 'signed-out') this.listings.forget(event.session);
    if (event.type === 'signed-in' && session) this.refresher.watch(session);
    if (event.type === 'signed-out') {
      this.signOuts.set(event.session, { reason: event.reason, atMs: this.clock.nowMs() });
      this.refresher.unwatch(event.session);
      this.credentials.forgetSession(event.session);
    }
  }
}
