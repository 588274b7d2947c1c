import { createHash, timingSafeEqual } from 'node:crypto';
import { allowsGrant, GRANT_AUTHORIZATION_CODE, type ClientRegistration, type ClientRegistry } from './clients';
import { normalizeUserCode } from './device-authorizations';
import type { EmulatorClock } from './emulator-clock';
import type { IdSource } from './id-source';
import { matchesRegisteredRedirect } from './redirect-uris';
import { parseScopeList, unregisteredScope } from './scopes';
import { OidcError } from './wire-errors';

/** RFC 6749 section 4.1.2 asks for short-lived codes; ten minutes is its ceiling, five is common. */
const AUTHORIZATION_CODE_TTL_MS = 5 * 60 * 1000;
/** How long a person has to answer the approval page, the same as a device code's default. */
const PENDING_REQUEST_TTL_MS = 10 * 60 * 1000;
/** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
const CODE_VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

interface AuthorizeRequest {
  readonly requestId: string;
  readonly userCode: string;
  readonly client: ClientRegistration;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly codeChallenge: string;
  readonly scopes: readonly string[];
  readonly expiresAtMs: number;
  decision: 'pending' | 'approved' | 'denied';
  location: string | undefined;
}

interface IssuedCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly scopes: readonly string[];
  readonly expiresAtMs: number;
  used: boolean;
}

/** What /authorize does next: send the browser back to the client, or ask the person. */
export type AuthorizeOutcome =
  | { kind: 'redirect'; location: string }
  | { kind: 'ask'; requestId: string; userCode: string; clientName: string; scopes: readonly string[] };

export interface PendingDecision {
  result: 'done' | 'unknown' | 'conflict';
  location?: string;
}

export class AuthorizationCodes {
  private readonly requests = new Map<string, AuthorizeRequest>();
  private readonly codes = new Map<string, IssuedCode>();

  constructor(
    private readonly ids: IdSource,
    private readonly clock: EmulatorClock,
    private readonly clients: ClientRegistry,
    private readonly autoApprove: boolean,
  ) {}

  /**
   * Validates an authorization request. Problems with the client or redirect URI are
   * thrown (the browser must not be sent to an unverified URI, RFC 6749 section
   * 4.1.2.1); every other problem goes back to the client's redirect URI.
   */
  begin(query: URLSearchParams): AuthorizeOutcome {
    const client = this.clients.findActive(query.get('client_id') ?? '');
    if (client === undefined) throw new OidcError('invalid_client', 'Unknown or expired client_id.');
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!matchesRegisteredRedirect(redirectUri, client.redirectUris)) {
      throw new OidcError('invalid_redirect_uri', 'redirect_uri is not a loopback URI registered for this client.');
    }
    const state = query.get('state') ?? undefined;
    const fail = (error: string, description: string): AuthorizeOutcome => ({
      kind: 'redirect',
      location: withParams(redirectUri, { error, error_description: description, state }),
    });
    if (!allowsGrant(client, GRANT_AUTHORIZATION_CODE)) return fail('unauthorized_client', 'Client is not registered for the authorization_code grant.');
    if (query.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be "code".');
    if (query.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256.');
    const codeChallenge = query.get('code_challenge') ?? '';
    if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) return fail('invalid_request', 'code_challenge must be a base64url SHA-256 digest.');
    const scopes = parseScopeList(query.get('scopes') ?? query.get('scope') ?? '');
    const badScope = unregisteredScope(scopes, client.scopes);
    if (badScope !== undefined) return fail('invalid_scope', `Scope not registered for this client: ${badScope}`);

    const request: AuthorizeRequest = {
      requestId: this.ids.token('authorize-request', 18),
      userCode: this.ids.userCode(),
      client,
      redirectUri,
      state,
      codeChallenge,
      scopes: scopes.length > 0 ? scopes : client.scopes,
      expiresAtMs: this.clock.nowMs() + PENDING_REQUEST_TTL_MS,
      decision: 'pending',
      location: undefined,
    };
    this.requests.set(request.requestId, request);
    if (this.autoApprove) return { kind: 'redirect', location: this.settle(request, 'approved') };
    return { kind: 'ask', requestId: request.requestId, userCode: request.userCode, clientName: client.clientName, scopes: request.scopes };
  }

  /** Decides a pending request by its page's request id or by its user code (admin routes). */
  decide(idOrUserCode: string, decision: 'approved' | 'denied'): PendingDecision {
    const request = this.find(idOrUserCode);
    if (request === undefined) return { result: 'unknown' };
    if (request.decision !== 'pending') {
      return request.decision === decision ? { result: 'done', location: request.location } : { result: 'conflict' };
    }
    return { result: 'done', location: this.settle(request, decision) };
  }

  pendingUserCodes(): string[] {
    const nowMs = this.clock.nowMs();
    return [...this.requests.values()].filter((r) => r.decision === 'pending' && r.expiresAtMs > nowMs).map((r) => r.userCode);
  }

  /** CreateToken with grantType authorization_code; returns the scopes the code grants. */
  redeem(client: ClientRegistration, code: string, redirectUri: string | undefined, codeVerifier: string | undefined): readonly string[] {
    const issued = this.codes.get(code);
    if (issued === undefined || issued.clientId !== client.clientId) throw new OidcError('invalid_grant', 'Invalid authorization code.');
    if (issued.used) throw new OidcError('invalid_grant', 'Authorization code has already been used.');
    // A code is spent by any redemption attempt, so a guessed verifier gets one try.
    issued.used = true;
    if (this.clock.nowMs() >= issued.expiresAtMs) throw new OidcError('invalid_grant', 'Authorization code has expired.');
    if (redirectUri !== issued.redirectUri) throw new OidcError('invalid_grant', 'redirectUri does not match the authorization request.');
    if (codeVerifier === undefined || !CODE_VERIFIER_PATTERN.test(codeVerifier)) {
      throw new OidcError('invalid_grant', 'codeVerifier is missing or malformed.');
    }
    if (!challengeMatches(codeVerifier, issued.codeChallenge)) throw new OidcError('invalid_grant', 'codeVerifier does not match code_challenge.');
    return issued.scopes;
  }

  private find(idOrUserCode: string): AuthorizeRequest | undefined {
    const nowMs = this.clock.nowMs();
    const userCode = normalizeUserCode(idOrUserCode);
    const request = this.requests.get(idOrUserCode) ?? [...this.requests.values()].find((r) => r.userCode === userCode);
    return request !== undefined && request.expiresAtMs > nowMs ? request : undefined;
  }

  private settle(request: AuthorizeRequest, decision: 'approved' | 'denied'): string {
    request.decision = decision;
    if (decision === 'denied') {
      request.location = withParams(request.redirectUri, { error: 'access_denied', error_description: 'The user denied the request.', state: request.state });
      return request.location;
    }
    const code = this.ids.token('authorization-code', 32);
    this.codes.set(code, {
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      scopes: request.scopes,
      expiresAtMs: this.clock.nowMs() + AUTHORIZATION_CODE_TTL_MS,
      used: false,
    });
    request.location = withParams(request.redirectUri, { code, state: request.state });
    return request.location;
  }
}

function challengeMatches(codeVerifier: string, codeChallenge: string): boolean {
  const expected = createHash('sha256').update(codeVerifier).digest();
  const given = Buffer.from(codeChallenge, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.toString();
}
