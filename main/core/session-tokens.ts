import type { Clock } from './clock';
import type { ClientRegistrar, SignInFlow } from './client-registrar';
import type { Emitter } from './emitter';
import { LatchkeyError, isLatchkeyError } from './errors';
import type { IdentityCenterApis, TokenResponse } from './identity-center-api';
import type { Logger } from './logger';
import type { SessionEvent, SignInProgress } from './session-events';
import type { ImportedSignIn } from './aws-sso-cache-import';
import type { SessionVault, StoredRegistration, StoredTokens } from './session-vault';
import { holdsRefreshToken, isLaterSignIn, type SignInPeer } from './sign-in-peer';
import type { SsoSessionSettings } from './sso-session-settings';
import { SingleFlight } from './single-flight';
import { REFRESH_BEFORE_EXPIRY_MS, TOKEN_REFRESH_MIN_INTERVAL_MS } from './time-windows';
import type { Wakeup } from './wakeup';

/** Runs one interactive flow (device code or PKCE) with a registration that fits it. */
export type SignInFlowRunner = (context: {
  session: SsoSessionSettings;
  registration: StoredRegistration;
  signal?: AbortSignal;
  onProgress: (progress: SignInProgress) => void;
  retryNow?: Wakeup;
}) => Promise<TokenResponse>;

/**
 * How a sign-out ended at AWS. Either way the session's records are gone. `awsTold: false`:
 * the portal Logout failed (`code`), so the access token stays valid at AWS until
 * `tokenValidUntilMs`; nothing on this computer holds it any more.
 */
export type SignOutOutcome = { awsTold: true } | { awsTold: false; code: string; tokenValidUntilMs: number };

export interface SessionTokensOptions {
  vault: SessionVault;
  apis: IdentityCenterApis;
  clock: Clock;
  registrar: ClientRegistrar;
  flows: Record<SignInFlow, SignInFlowRunner>;
  events: Emitter<SessionEvent>;
  logger: Logger;
  /** A client sharing the sign-in (the AWS CLI's SSO cache), consulted around every refresh. */
  peer?: SignInPeer;
}

export interface SignInOptions {
  flow: SignInFlow;
  signal?: AbortSignal;
  /** Fired when the person asks to retry now after network trouble. */
  retryNow?: Wakeup;
}

export interface TokenStatus {
  signedIn: boolean;
  accessTokenExpiresAtMs?: number;
  /** When the token is due for refresh (refreshDueAtMs); present whenever a token is. */
  refreshDueAtMs?: number;
  refreshable: boolean;
}

/**
 * The tokens of every session: sign-in, refresh and sign-out, one at a time per session
 * whoever asks. A hundred tools asking at once cause one flow or one refresh call.
 */
export class SessionTokens {
  private readonly signIns = new SingleFlight<string, StoredTokens>();
  private readonly refreshes = new SingleFlight<string, StoredTokens>();
  /** When each session's last refresh failed; cleared by one that succeeds. */
  private readonly refreshFailedAtMs = new Map<string, number>();

  constructor(private readonly options: SessionTokensOptions) {}

  /** Starts the flow, or joins the one already running for this session. */
  signIn(session: SsoSessionSettings, options: SignInOptions): Promise<StoredTokens> {
    return this.signIns.run(session.name, () => this.runSignIn(session, options));
  }

  isSigningIn(session: string): boolean {
    return this.signIns.isRunning(session);
  }

  /**
   * A token with time left. One whose refresh is due is served at once and refreshed
   * behind the answer: a caller waits for a refresh only when the token has expired.
   * A signed-out session joins a sign-in in flight or fails with `signed_out`: only a
   * person starts a sign-in (RFC 8628 section 3.5; UX.md). A session that holds tokens
   * keeps using them while it signs in again (`latchkey login --force`).
   */
  async accessToken(session: SsoSessionSettings): Promise<string> {
    return (await this.usableTokens(session)).accessToken;
  }

  /** The tokens accessToken serves, with the expiry of the very token served. */
  async usableTokens(session: SsoSessionSettings): Promise<StoredTokens> {
    const tokens = await this.options.vault.tokens(session.name);
    if (!tokens) {
      const joined = this.signIns.current(session.name);
      if (joined) return joined;
      throw signedOut(session.name);
    }
    const now = this.options.clock.nowMs();
    if (now >= tokens.accessTokenExpiresAtMs) return this.refresh(session);
    if (now >= refreshDueAtMs(tokens)) this.refreshBehind(session, now);
    return tokens;
  }

  /** One refresh-token exchange per session at a time; later callers share it. */
  refresh(session: SsoSessionSettings): Promise<StoredTokens> {
    return this.refreshes.run(session.name, async () => {
      try {
        const refreshed = await this.runRefresh(session);
        this.refreshFailedAtMs.delete(session.name);
        return refreshed;
      } catch (error) {
        this.refreshFailedAtMs.set(session.name, this.options.clock.nowMs());
        throw error;
      }
    });
  }

  /** The refresh running for this session, if any (one started behind a request included). */
  refreshInFlight(session: string): Promise<StoredTokens> | undefined {
    return this.refreshes.current(session);
  }

  async status(session: string): Promise<TokenStatus> {
    const tokens = await this.options.vault.tokens(session);
    if (!tokens) return { signedIn: false, refreshable: false };
    const now = this.options.clock.nowMs();
    const refreshable = tokens.refreshToken !== undefined;
    return {
      signedIn: refreshable || tokens.accessTokenExpiresAtMs > now,
      accessTokenExpiresAtMs: tokens.accessTokenExpiresAtMs,
      refreshDueAtMs: refreshDueAtMs(tokens),
      refreshable,
    };
  }

  /**
   * AWS no longer accepts this session's tokens (a 401 from the portal, a rejected
   * refresh token): forget them and say so once.
   */
  async markSignedOut(session: string, reason: 'token-rejected' | 'refresh-rejected' | 'expired'): Promise<void> {
    const tokens = await this.options.vault.tokens(session);
    if (!tokens) return;
    await this.options.vault.wipeTokens(session);
    this.options.events.fire({ type: 'signed-out', session, reason });
  }

  /**
   * Portal Logout (best effort: the records go whatever AWS answers), then wipe the
   * session. Says when AWS could not be told, as the token then stays valid there.
   */
  async signOut(session: SsoSessionSettings): Promise<SignOutOutcome> {
    const tokens = await this.options.vault.tokens(session.name);
    let outcome: SignOutOutcome = { awsTold: true };
    if (tokens && tokens.accessTokenExpiresAtMs > this.options.clock.nowMs()) {
      try {
        await this.options.apis.portal(session.region).logout(tokens.accessToken);
      } catch (error) {
        this.options.logger.warn('Logout call failed; signing out locally', { session: session.name, code: errorCode(error) });
        outcome = { awsTold: false, code: errorCode(error), tokenValidUntilMs: tokens.accessTokenExpiresAtMs };
      }
    }
    await this.options.vault.wipe(session.name);
    if (tokens) this.options.events.fire({ type: 'signed-out', session: session.name, reason: 'logout' });
    return outcome;
  }

  /**
   * Starts a refresh no one waits for, unless one is running or one failed less than
   * TOKEN_REFRESH_MIN_INTERVAL_MS ago. A failed refresh may have spent the refresh token
   * at AWS (its answer lost or garbled): a second try at once would send the spent token,
   * be refused, and sign the session out while its access token still has time left.
   * The background refresher retries on its own backoff.
   */
  private refreshBehind(session: SsoSessionSettings, now: number): void {
    if (this.refreshes.isRunning(session.name)) return;
    const failedAtMs = this.refreshFailedAtMs.get(session.name);
    if (failedAtMs !== undefined && now - failedAtMs < TOKEN_REFRESH_MIN_INTERVAL_MS) return;
    this.refresh(session).catch((error: unknown) => {
      if (!isLatchkeyError(error, 'signed_out')) this.options.logger.warn('Token refresh failed; serving the token until it expires', { session: session.name, code: errorCode(error) });
    });
  }

  private async runSignIn(session: SsoSessionSettings, options: SignInOptions): Promise<StoredTokens> {
    let prompted = false;
    const onProgress = (progress: SignInProgress): void => {
      if (progress.type === 'code-issued' || progress.type === 'browser-opening') prompted = true;
      this.options.events.fire({ type: 'sign-in-progress', session: session.name, progress });
    };
    const attempt = async (): Promise<StoredTokens> => {
      const registration = await this.options.registrar.registrationFor(session, options.flow);
      const response = await this.options.flows[options.flow]({ session, registration, signal: options.signal, onProgress, retryNow: options.retryNow });
      return this.store(session, registration.clientId, response, undefined);
    };
    try {
      let tokens: StoredTokens;
      try {
        tokens = await attempt();
      } catch (error) {
        // A registration AWS no longer knows is replaced. The flow runs again only if the
        // person has not been shown a code or page yet: a new code behind their back would
        // leave the one on screen dead (RFC 8628 section 3.5; UX.md).
        if (!isLatchkeyError(error, 'invalid_client')) throw error;
        await this.options.registrar.forget(session);
        if (prompted) {
          throw new LatchkeyError(
            'invalid_client',
            `AWS no longer knows this computer's sign-in registration for ${session.name} (it was deleted or expired), so the code shown can no longer be approved and nothing was signed in; start the sign-in again for a new code.`,
            { cause: error },
          );
        }
        tokens = await attempt();
      }
      this.options.events.fire({
        type: 'signed-in',
        session: session.name,
        accessTokenExpiresAtMs: tokens.accessTokenExpiresAtMs,
        refreshable: tokens.refreshToken !== undefined,
      });
      return tokens;
    } catch (error) {
      this.options.events.fire({ type: 'sign-in-failed', session: session.name, code: errorCode(error) });
      throw error;
    }
  }

  private async runRefresh(session: SsoSessionSettings): Promise<StoredTokens> {
    const { vault, clock, peer } = this.options;
    let tokens = await vault.tokens(session.name);
    if (!tokens) throw signedOut(session.name);
    // Another client may have refreshed first, which spent our refresh token, or signed in again.
    const theirs = await peer?.read(session);
    if (theirs !== undefined && supersedes(theirs, tokens)) {
      tokens = await this.adoptPeer(session, theirs);
      if (clock.nowMs() < refreshDueAtMs(tokens)) return tokens;
    }
    // A registration past its secret's expiry is still tried: AWS is the judge of whether
    // it takes the secret, and a refused one costs one call (below).
    const registration = await vault.registration(session.name);
    const usable = tokens.refreshToken !== undefined && registration !== undefined && registration.clientId === tokens.clientId;
    if (!usable || tokens.refreshToken === undefined || registration === undefined) {
      if (tokens.accessTokenExpiresAtMs > clock.nowMs()) return tokens;
      await this.markSignedOut(session.name, 'expired');
      throw signedOut(session.name);
    }
    let response: TokenResponse;
    try {
      response = await this.options.apis.oidc(session.region).createToken({
        grantType: 'refresh_token',
        clientId: registration.clientId,
        clientSecret: registration.clientSecret,
        refreshToken: tokens.refreshToken,
      });
    } catch (error) {
      if (isLatchkeyError(error, 'invalid_grant') || isLatchkeyError(error, 'invalid_client')) {
        // The peer may have refreshed between our look and our call: its tokens are the live ones.
        const later = await peer?.read(session);
        if (later !== undefined && supersedes(later, tokens)) {
          const adopted = await this.adoptPeer(session, later);
          if (adopted.accessTokenExpiresAtMs > clock.nowMs()) return adopted;
        }
        if (isLatchkeyError(error, 'invalid_client')) await this.options.registrar.forget(session);
        // A secret refused once it expired ends the refreshes, not the token AWS issued:
        // it is served until it expires, and the next sign-in registers afresh.
        const registrationExpired = registration.expiresAtMs <= clock.nowMs();
        if (isLatchkeyError(error, 'invalid_client') && registrationExpired && tokens.accessTokenExpiresAtMs > clock.nowMs()) return tokens;
        await this.markSignedOut(session.name, 'refresh-rejected');
        throw signedOut(session.name);
      }
      throw error;
    }
    const refreshed = await this.store(session, registration.clientId, response, tokens.refreshToken);
    // The peer's refresh token was the one just spent: without the new one it would fail next time.
    if (peer !== undefined && holdsRefreshToken(theirs, tokens)) await peer.write(session, refreshed, registration);
    this.options.events.fire({ type: 'refreshed', session: session.name, accessTokenExpiresAtMs: refreshed.accessTokenExpiresAtMs });
    return refreshed;
  }

  /** Takes the peer's later sign-in as the session's own, as if Latchkey had refreshed. */
  private async adoptPeer(session: SsoSessionSettings, theirs: ImportedSignIn): Promise<StoredTokens> {
    if (theirs.registration !== undefined) await this.options.vault.saveRegistration(session.name, theirs.registration);
    await this.options.vault.saveTokens(session.name, theirs.tokens);
    this.options.logger.info('Took the later sign-in of the AWS CLI SSO cache', { session: session.name });
    this.options.events.fire({ type: 'refreshed', session: session.name, accessTokenExpiresAtMs: theirs.tokens.accessTokenExpiresAtMs });
    return theirs.tokens;
  }

  private async store(
    session: SsoSessionSettings,
    clientId: string,
    response: TokenResponse,
    previousRefreshToken: string | undefined,
  ): Promise<StoredTokens> {
    const now = this.options.clock.nowMs();
    // AWS may omit refreshToken on a refresh: the old one then stays valid.
    const refreshToken = response.refreshToken ?? previousRefreshToken;
    const tokens: StoredTokens = {
      accessToken: response.accessToken,
      accessTokenExpiresAtMs: now + response.expiresIn * 1000,
      ...(refreshToken !== undefined ? { refreshToken } : {}),
      region: session.region,
      startUrl: session.startUrl,
      clientId,
      obtainedAtMs: now,
    };
    await this.options.vault.saveTokens(session.name, tokens);
    return tokens;
  }
}

/**
 * When a token is due for refresh: REFRESH_BEFORE_EXPIRY_MS before it expires, or half
 * its life before for one issued shorter than twice that (a token of 10 minutes or less
 * was otherwise due the moment it arrived), but never sooner than
 * TOKEN_REFRESH_MIN_INTERVAL_MS after it was obtained, so that no lifetime the service
 * sends, zero or negative included, can make refresh spin.
 */
export function refreshDueAtMs(tokens: StoredTokens): number {
  const lifeMs = Math.max(0, tokens.accessTokenExpiresAtMs - tokens.obtainedAtMs);
  const leadMs = Math.min(REFRESH_BEFORE_EXPIRY_MS, lifeMs / 2);
  return Math.max(tokens.accessTokenExpiresAtMs - leadMs, tokens.obtainedAtMs + TOKEN_REFRESH_MIN_INTERVAL_MS);
}

/**
 * Whether the peer's sign-in replaces ours: it is a later one, and it can be refreshed (or
 * ours cannot either). A later token without a refresh token (an old AWS CLI signing in
 * again) does not push out a refresh token of ours that may still work.
 */
function supersedes(theirs: ImportedSignIn, ours: StoredTokens): boolean {
  const refreshable = theirs.registration !== undefined && theirs.tokens.refreshToken !== undefined;
  return isLaterSignIn(theirs.tokens, ours) && (refreshable || ours.refreshToken === undefined);
}

export function signedOut(session: string): LatchkeyError {
  return new LatchkeyError('signed_out', `Session "${session}" is not signed in; run "latchkey login --session ${session}".`);
}

function errorCode(error: unknown): string {
  return isLatchkeyError(error) ? error.code : 'internal_error';
}
