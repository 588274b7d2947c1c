/**
 * Shapes on the wire of IAM Identity Center (botocore models `sso-oidc/2019-06-10` and
 * `sso/2019-06-10`). Where core's contract (`main/core/identity-center-api.ts`) already
 * states a shape in the service's names and units, it is reused rather than restated.
 */
import type {
  AccountInfo,
  ClientRegistration,
  RegisterClientInput,
  RoleCredentials,
  RoleInfo,
} from '../core/identity-center-api';

export { DEVICE_CODE_GRANT } from '../core/identity-center-api';
export const AUTHORIZATION_CODE_GRANT = 'authorization_code';
export const REFRESH_TOKEN_GRANT = 'refresh_token';

export type OidcOperation = 'RegisterClient' | 'StartDeviceAuthorization' | 'CreateToken';
export type PortalOperation = 'ListAccounts' | 'ListAccountRoles' | 'GetRoleCredentials' | 'Logout';
/** The AWS sign-in federation endpoint (`signin.aws.amazon.com/federation`), which `latchkey console` calls. */
export type FederationOperation = 'GetSigninToken';
export type AwsOperation = OidcOperation | PortalOperation | FederationOperation;

/** Header that carries the access token on every portal call. */
export const BEARER_TOKEN_HEADER = 'x-amz-sso_bearer_token';

// ---- OIDC request bodies ----

export type RegisterClientRequest = RegisterClientInput;

export interface CreateTokenRequest {
  clientId: string;
  clientSecret: string;
  grantType: string;
  deviceCode?: string;
  code?: string;
  redirectUri?: string;
  codeVerifier?: string;
  refreshToken?: string;
  /** A list, despite the singular name (model shape `Scopes`). */
  scope?: string[];
}

// ---- OIDC responses ----

/** `clientIdIssuedAt` and `clientSecretExpiresAt` are epoch seconds. */
export type RegisterClientResponse = ClientRegistration;

export interface StartDeviceAuthorizationResponse {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  /** Seconds. */
  expiresIn: number;
  /** Seconds; absent means 5. */
  interval?: number;
}

export interface CreateTokenResponse {
  accessToken: string;
  tokenType?: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken?: string;
}

// ---- Portal responses ----

export interface ListAccountsResponse {
  accountList: AccountInfo[];
  nextToken?: string;
}

export interface ListAccountRolesResponse {
  roleList: RoleInfo[];
  nextToken?: string;
}

/** `expiration` is epoch milliseconds. */
export interface GetRoleCredentialsResponse {
  roleCredentials: RoleCredentials;
}

// ---- Federation endpoint responses ----

/** `GET /federation?Action=getSigninToken&Session=...`: valid for 15 minutes, a bearer secret. */
export interface GetSigninTokenResponse {
  SigninToken: string;
}
