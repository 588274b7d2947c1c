/**
 * What core needs of IAM Identity Center, in the service's own member names and units
 * (docs/contract.md section 7). main/aws implements these with got; tests pass fakes.
 */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface RegisterClientInput {
  clientName: string;
  clientType: 'public';
  scopes?: string[];
  grantTypes?: string[];
  redirectUris?: string[];
  issuerUrl?: string;
}

export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  /** Epoch seconds. */
  clientIdIssuedAt: number;
  /** Epoch seconds. */
  clientSecretExpiresAt: number;
}

export interface StartDeviceAuthorizationInput {
  clientId: string;
  clientSecret: string;
  startUrl: string;
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresIn: number;
  /** Seconds; the client applies 5 when the service omits it. */
  interval: number;
}

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export type CreateTokenInput = ClientCredentials &
  (
    | { grantType: typeof DEVICE_CODE_GRANT; deviceCode: string }
    | { grantType: 'authorization_code'; code: string; redirectUri: string; codeVerifier: string }
    | { grantType: 'refresh_token'; refreshToken: string }
  );

export interface TokenResponse {
  accessToken: string;
  tokenType: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken?: string;
}

export interface OidcApi {
  registerClient(input: RegisterClientInput): Promise<ClientRegistration>;
  startDeviceAuthorization(input: StartDeviceAuthorizationInput): Promise<DeviceAuthorization>;
  createToken(input: CreateTokenInput): Promise<TokenResponse>;
}

export interface AccountInfo {
  accountId: string;
  accountName?: string;
  emailAddress?: string;
}

export interface RoleInfo {
  accountId: string;
  roleName: string;
}

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiration: number;
}

export interface PortalApi {
  /** Every account, all pages. */
  listAccounts(accessToken: string): Promise<AccountInfo[]>;
  /** Every role of one account, all pages. */
  listAccountRoles(accessToken: string, accountId: string): Promise<RoleInfo[]>;
  getRoleCredentials(accessToken: string, accountId: string, roleName: string): Promise<RoleCredentials>;
  logout(accessToken: string): Promise<void>;
}

/** Sessions live in different regions, so clients are made per region. */
export interface IdentityCenterApis {
  oidc(region: string): OidcApi;
  portal(region: string): PortalApi;
}
