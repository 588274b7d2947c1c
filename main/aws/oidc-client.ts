import type {
  ClientRegistration,
  DeviceAuthorization,
  OidcApi,
  RegisterClientInput as CoreRegisterClientInput,
  StartDeviceAuthorizationInput,
  TokenResponse,
} from '../core/identity-center-api';
import { DEFAULT_POLL_INTERVAL_MS } from '../core/time-windows';
import type { CallOptions, HttpTransport } from './http-transport';
import type { RetrySafety } from './with-retries';
import {
  AUTHORIZATION_CODE_GRANT,
  DEVICE_CODE_GRANT,
  REFRESH_TOKEN_GRANT,
  type CreateTokenRequest,
  type RegisterClientRequest,
} from './wire-types';

/** Core's input; `clientType` may be left out, since IAM Identity Center only takes `public`. */
export type RegisterClientInput = Omit<CoreRegisterClientInput, 'clientType'> & { clientType?: 'public' };

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** One variant per grant, each with exactly the fields that grant sends. */
export type CreateTokenInput =
  | (ClientCredentials & { grantType: typeof DEVICE_CODE_GRANT; deviceCode: string })
  | (ClientCredentials & {
      grantType: typeof AUTHORIZATION_CODE_GRANT;
      code: string;
      /** The exact redirect URI, port included, that the authorize request used. */
      redirectUri: string;
      codeVerifier: string;
      scopes?: string[];
    })
  | (ClientCredentials & { grantType: typeof REFRESH_TOKEN_GRANT; refreshToken: string; scopes?: string[] });

/**
 * The IAM Identity Center OIDC service (`sso-oidc`): client registration, the device
 * authorization grant, and token redemption for the device code, authorization code
 * (PKCE) and refresh token grants. Calls are unsigned JSON POSTs.
 */
export class OidcClient implements OidcApi {
  constructor(private readonly transport: HttpTransport) {}

  /**
   * Retried freely: a registration whose answer was lost is just an unused client that
   * expires on its own; nothing Latchkey keeps refers to it.
   */
  async registerClient(input: RegisterClientInput, options: CallOptions = {}): Promise<ClientRegistration> {
    const body: RegisterClientRequest = { clientName: input.clientName, clientType: 'public' };
    if (input.scopes !== undefined) body.scopes = input.scopes;
    if (input.grantTypes !== undefined) body.grantTypes = input.grantTypes;
    if (input.redirectUris !== undefined) body.redirectUris = input.redirectUris;
    if (input.issuerUrl !== undefined) body.issuerUrl = input.issuerUrl;
    return this.transport.call({
      operation: 'RegisterClient',
      method: 'POST',
      path: 'client/register',
      json: body,
      safety: 'repeatable',
      signal: options.signal,
    });
  }

  /**
   * Retried freely: a device code whose answer was lost is never shown to anyone and
   * simply expires; the user sees only the code of the response that arrived.
   */
  async startDeviceAuthorization(input: StartDeviceAuthorizationInput, options: CallOptions = {}): Promise<DeviceAuthorization> {
    const response = await this.transport.call({
      operation: 'StartDeviceAuthorization',
      method: 'POST',
      path: 'device_authorization',
      json: { clientId: input.clientId, clientSecret: input.clientSecret, startUrl: input.startUrl },
      safety: 'repeatable',
      signal: options.signal,
    });
    return { ...response, interval: response.interval ?? DEFAULT_POLL_INTERVAL_MS / 1000 };
  }

  /**
   * Redeems a grant. `authorization_pending`, `slow_down` and the other OAuth errors
   * come back as AwsServiceError codes for the caller's flow to act on. For the refresh
   * grant, a response without a new refresh token means the old one stays valid
   * (docs/contract.md section 7), so the result then carries the old one.
   */
  async createToken(input: CreateTokenInput, options: CallOptions = {}): Promise<TokenResponse> {
    const response = await this.transport.call({
      operation: 'CreateToken',
      method: 'POST',
      path: 'token',
      json: createTokenBody(input),
      safety: createTokenSafety(input),
      signal: options.signal,
    });
    const refreshToken =
      response.refreshToken ?? (input.grantType === REFRESH_TOKEN_GRANT ? input.refreshToken : undefined);
    return {
      accessToken: response.accessToken,
      tokenType: response.tokenType ?? 'Bearer',
      expiresIn: response.expiresIn,
      ...(refreshToken === undefined ? {} : { refreshToken }),
    };
  }
}

function createTokenBody(input: CreateTokenInput): CreateTokenRequest {
  const client = { clientId: input.clientId, clientSecret: input.clientSecret };
  switch (input.grantType) {
    case DEVICE_CODE_GRANT:
      return { ...client, grantType: DEVICE_CODE_GRANT, deviceCode: input.deviceCode };
    case AUTHORIZATION_CODE_GRANT:
      return {
        ...client,
        grantType: AUTHORIZATION_CODE_GRANT,
        code: input.code,
        redirectUri: input.redirectUri,
        codeVerifier: input.codeVerifier,
        ...(input.scopes === undefined ? {} : { scope: input.scopes }),
      };
    case REFRESH_TOKEN_GRANT:
      return {
        ...client,
        grantType: REFRESH_TOKEN_GRANT,
        refreshToken: input.refreshToken,
        ...(input.scopes === undefined ? {} : { scope: input.scopes }),
      };
  }
}

/**
 * Whether a token request may be sent again after a failure that might have reached
 * the server (a reset connection, a timeout after sending, a truncated answer):
 * - device code: yes. Repeating it is what the poll loop does anyway; if the first try
 *   was redeemed, the repeat gets `invalid_grant`, no worse than the lost answer.
 * - authorization code: no. Codes are single-use, and RFC 6749 §4.1.2 lets the server
 *   revoke every token issued from a code that is presented twice.
 * - refresh token: no. The token rotates on use; replaying the spent one can look like
 *   token theft to the server and revoke the whole sign-in.
 * 429, 5xx and failures before the request left the machine are retried for all three.
 */
function createTokenSafety(input: CreateTokenInput): RetrySafety {
  return input.grantType === DEVICE_CODE_GRANT ? 'repeatable' : 'single-use';
}
