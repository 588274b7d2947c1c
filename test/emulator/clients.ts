import { FieldError, optionalString, optionalStringList, requiredString, type Fields } from './body-fields';
import type { EmulatorClock } from './emulator-clock';
import type { IdSource } from './id-source';
import type { Lifetimes } from './lifetimes';
import { isLoopbackRedirectUri } from './redirect-uris';
import { OidcError } from './wire-errors';

export const GRANT_DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
export const GRANT_AUTHORIZATION_CODE = 'authorization_code';
export const GRANT_REFRESH_TOKEN = 'refresh_token';
const KNOWN_GRANTS: readonly string[] = [GRANT_DEVICE_CODE, GRANT_AUTHORIZATION_CODE, GRANT_REFRESH_TOKEN];
/** What a client may use when it registers without grantTypes, as the AWS CLI does for the device flow. */
const IMPLICIT_GRANTS: readonly string[] = [GRANT_DEVICE_CODE, GRANT_REFRESH_TOKEN];

/** Scope syntax as IAM Identity Center's scopes read: `sso:account:access`, `codewhisperer:completions`. */
const SCOPE_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*(:[A-Za-z0-9_*.-]+)*$/;

export interface ClientRegistration {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clientName: string;
  readonly scopes: readonly string[];
  /** The grants the client asked for, or undefined when it named none. */
  readonly requestedGrants: readonly string[] | undefined;
  readonly redirectUris: readonly string[];
  readonly issuedAtSeconds: number;
  readonly expiresAtSeconds: number;
}

export interface RegisterClientResponse {
  clientId: string;
  clientSecret: string;
  clientIdIssuedAt: number;
  clientSecretExpiresAt: number;
}

export function allowsGrant(client: ClientRegistration, grant: string): boolean {
  return (client.requestedGrants ?? IMPLICIT_GRANTS).includes(grant);
}

/** A refresh token goes only to a client with scopes that did not leave the refresh grant out. */
export function receivesRefreshTokens(client: ClientRegistration): boolean {
  return client.scopes.length > 0 && allowsGrant(client, GRANT_REFRESH_TOKEN);
}

export class ClientRegistry {
  private readonly clients = new Map<string, ClientRegistration>();

  constructor(
    private readonly ids: IdSource,
    private readonly clock: EmulatorClock,
    private readonly lifetimes: Lifetimes,
  ) {}

  register(body: Fields): RegisterClientResponse {
    const { clientName, scopes, grants, redirectUris } = readRegistration(body);
    const issuedAtSeconds = this.clock.nowSeconds();
    const client: ClientRegistration = {
      clientId: this.ids.token('client-id', 16),
      clientSecret: this.ids.token('client-secret', 96),
      clientName,
      scopes,
      requestedGrants: grants,
      redirectUris,
      issuedAtSeconds,
      expiresAtSeconds: issuedAtSeconds + this.lifetimes.clientRegistrationSeconds,
    };
    this.clients.set(client.clientId, client);
    return {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      clientIdIssuedAt: client.issuedAtSeconds,
      clientSecretExpiresAt: client.expiresAtSeconds,
    };
  }

  /** The client behind an id and secret, or invalid_client (401) as AWS answers. */
  authenticate(clientId: string, clientSecret: string): ClientRegistration {
    const client = this.findActive(clientId);
    if (client === undefined || client.clientSecret !== clientSecret) {
      throw new OidcError('invalid_client', 'Invalid client credentials.');
    }
    return client;
  }

  /** The registered, unexpired client with this id; the browser-facing /authorize has no secret to check. */
  findActive(clientId: string): ClientRegistration | undefined {
    const client = this.clients.get(clientId);
    if (client === undefined || client.expiresAtSeconds <= this.clock.nowSeconds()) return undefined;
    return client;
  }
}

interface RegistrationRequest {
  clientName: string;
  scopes: string[];
  grants: string[] | undefined;
  redirectUris: string[];
}

function readRegistration(body: Fields): RegistrationRequest {
  let clientName: string;
  let clientType: string;
  let scopes: string[];
  let grants: string[] | undefined;
  let redirectUris: string[];
  try {
    clientName = requiredString(body, 'clientName');
    clientType = requiredString(body, 'clientType');
    scopes = optionalStringList(body, 'scopes') ?? [];
    grants = optionalStringList(body, 'grantTypes');
    redirectUris = optionalStringList(body, 'redirectUris') ?? [];
    optionalString(body, 'issuerUrl');
  } catch (error) {
    if (error instanceof FieldError) throw new OidcError('invalid_request', error.message);
    throw error;
  }
  if (clientType !== 'public') throw new OidcError('invalid_client_metadata', 'clientType must be "public".');
  const badScope = scopes.find((scope) => !SCOPE_PATTERN.test(scope));
  if (badScope !== undefined) throw new OidcError('invalid_scope', `Invalid scope: ${badScope}`);
  const badGrant = grants?.find((grant) => !KNOWN_GRANTS.includes(grant));
  if (badGrant !== undefined) throw new OidcError('invalid_client_metadata', `Unsupported grant type: ${badGrant}`);
  const badUri = redirectUris.find((uri) => !isLoopbackRedirectUri(uri));
  if (badUri !== undefined) throw new OidcError('invalid_redirect_uri', `Redirect URI must be an http loopback URI: ${badUri}`);
  if (grants?.includes(GRANT_AUTHORIZATION_CODE) && redirectUris.length === 0) {
    throw new OidcError('invalid_redirect_uri', 'The authorization_code grant needs at least one redirectUri.');
  }
  return { clientName, scopes, grants, redirectUris };
}
