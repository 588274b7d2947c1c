import { receivesRefreshTokens, type ClientRegistration } from './clients';
import type { EmulatorClock } from './emulator-clock';
import type { IdSource } from './id-source';
import { accessTokenSecondsFor, type Lifetimes } from './lifetimes';
import { unregisteredScope } from './scopes';
import { OidcError, PortalError } from './wire-errors';

/** One sign-in: every access and refresh token it produces dies with it at Logout. */
interface SignInSession {
  readonly clientId: string;
  readonly scopes: readonly string[];
  ended: boolean;
}

interface AccessTokenRecord {
  readonly session: SignInSession;
  readonly expiresAtMs: number;
}

interface RefreshTokenRecord {
  readonly session: SignInSession;
  readonly expiresAtMs: number;
  used: boolean;
}

export interface CreateTokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken?: string;
}

export class TokenStore {
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();

  constructor(
    private readonly ids: IdSource,
    private readonly clock: EmulatorClock,
    private readonly lifetimes: Lifetimes,
  ) {}

  /** Tokens for a fresh sign-in (a redeemed device code or authorization code). */
  signIn(client: ClientRegistration, scopes: readonly string[]): CreateTokenResponse {
    const session: SignInSession = { clientId: client.clientId, scopes, ended: false };
    return this.issue(client, session);
  }

  /** Redeems a refresh token once; the old one is spent, a new one replaces it (rotation). */
  refresh(client: ClientRegistration, refreshToken: string, requestedScopes: readonly string[]): CreateTokenResponse {
    const record = this.refreshTokens.get(refreshToken);
    if (record === undefined || record.session.clientId !== client.clientId) {
      throw new OidcError('invalid_grant', 'Invalid refresh token provided.');
    }
    if (record.used) throw new OidcError('invalid_grant', 'Refresh token has already been used.');
    if (record.session.ended) throw new OidcError('invalid_grant', 'The sign-in session has ended.');
    if (this.clock.nowMs() >= record.expiresAtMs) throw new OidcError('invalid_grant', 'Refresh token has expired.');
    const badScope = unregisteredScope(requestedScopes, record.session.scopes);
    if (badScope !== undefined) throw new OidcError('invalid_scope', `Scope was not granted to this session: ${badScope}`);
    record.used = true;
    return this.issue(client, record.session);
  }

  /** The live session behind a portal bearer token, or the portal's 401. */
  requireSession(accessToken: string | undefined): void {
    this.liveAccessToken(accessToken);
  }

  /** Ends the sign-in session of a live access token: all its tokens stop working. */
  logout(accessToken: string | undefined): void {
    this.liveAccessToken(accessToken).session.ended = true;
  }

  private liveAccessToken(accessToken: string | undefined): AccessTokenRecord {
    const record = accessToken === undefined ? undefined : this.accessTokens.get(accessToken);
    if (record === undefined || record.session.ended || this.clock.nowMs() >= record.expiresAtMs) {
      throw new PortalError('UnauthorizedException', 'Session token not found or invalid');
    }
    return record;
  }

  private issue(client: ClientRegistration, session: SignInSession): CreateTokenResponse {
    const nowMs = this.clock.nowMs();
    const refreshable = receivesRefreshTokens(client);
    const expiresIn = accessTokenSecondsFor(this.lifetimes, refreshable);
    const accessToken = `aoa${this.ids.token('access-token', 96)}`;
    this.accessTokens.set(accessToken, { session, expiresAtMs: nowMs + expiresIn * 1000 });
    const response: CreateTokenResponse = { accessToken, tokenType: 'Bearer', expiresIn };
    if (refreshable) {
      const refreshToken = `aor${this.ids.token('refresh-token', 96)}`;
      this.refreshTokens.set(refreshToken, { session, expiresAtMs: nowMs + this.lifetimes.refreshTokenSeconds * 1000, used: false });
      response.refreshToken = refreshToken;
    }
    return response;
  }
}
