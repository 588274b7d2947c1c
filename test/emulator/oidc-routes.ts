import { FieldError, optionalString, optionalStringList, requiredString, type Fields } from './body-fields';
import { allowsGrant, GRANT_AUTHORIZATION_CODE, GRANT_DEVICE_CODE, GRANT_REFRESH_TOKEN, type ClientRegistration, type RegisterClientResponse } from './clients';
import type { StartDeviceAuthorizationResponse } from './device-authorizations';
import type { EmulatorState } from './emulator-state';
import { unregisteredScope } from './scopes';
import type { CreateTokenResponse } from './tokens';
import { OidcError } from './wire-errors';

/** The path of the verification page, relative to the base URL. */
export const VERIFICATION_PATH = '/device';

export function registerClient(state: EmulatorState, body: Fields): RegisterClientResponse {
  return state.clients.register(body);
}

export function startDeviceAuthorization(state: EmulatorState, body: Fields, baseUrl: string): StartDeviceAuthorizationResponse {
  const { clientId, clientSecret, startUrl } = readFields(body, (fields) => ({
    clientId: requiredString(fields, 'clientId'),
    clientSecret: requiredString(fields, 'clientSecret'),
    startUrl: requiredString(fields, 'startUrl'),
  }));
  const client = state.clients.authenticate(clientId, clientSecret);
  if (!allowsGrant(client, GRANT_DEVICE_CODE)) {
    throw new OidcError('unauthorized_client', 'Client is not registered for the device_code grant.');
  }
  if (!isHttpUrl(startUrl)) throw new OidcError('invalid_request', 'startUrl must be an http(s) URL.');
  return state.devices.start(client, startUrl, `${baseUrl}${VERIFICATION_PATH}`);
}

export function createToken(state: EmulatorState, body: Fields): CreateTokenResponse {
  const request = readFields(body, (fields) => ({
    clientId: requiredString(fields, 'clientId'),
    clientSecret: requiredString(fields, 'clientSecret'),
    grantType: requiredString(fields, 'grantType'),
    deviceCode: optionalString(fields, 'deviceCode'),
    code: optionalString(fields, 'code'),
    refreshToken: optionalString(fields, 'refreshToken'),
    redirectUri: optionalString(fields, 'redirectUri'),
    codeVerifier: optionalString(fields, 'codeVerifier'),
    scope: optionalStringList(fields, 'scope') ?? [],
  }));
  const client = state.clients.authenticate(request.clientId, request.clientSecret);
  switch (request.grantType) {
    case GRANT_DEVICE_CODE: {
      requireGrant(client, GRANT_DEVICE_CODE);
      const deviceCode = requireField(request.deviceCode, 'deviceCode');
      requireRegisteredScopes(client, request.scope);
      state.devices.redeem(client, deviceCode);
      return state.tokens.signIn(client, request.scope.length > 0 ? request.scope : client.scopes);
    }
    case GRANT_AUTHORIZATION_CODE: {
      requireGrant(client, GRANT_AUTHORIZATION_CODE);
      const code = requireField(request.code, 'code');
      const scopes = state.authorizations.redeem(client, code, request.redirectUri, request.codeVerifier);
      return state.tokens.signIn(client, scopes);
    }
    case GRANT_REFRESH_TOKEN: {
      requireGrant(client, GRANT_REFRESH_TOKEN);
      if (client.scopes.length === 0) throw new OidcError('unauthorized_client', 'A client registered without scopes cannot refresh.');
      return state.tokens.refresh(client, requireField(request.refreshToken, 'refreshToken'), request.scope);
    }
    default:
      throw new OidcError('unsupported_grant_type', `Unsupported grant type: ${request.grantType}`);
  }
}

function readFields<T>(body: Fields, read: (fields: Fields) => T): T {
  try {
    return read(body);
  } catch (error) {
    if (error instanceof FieldError) throw new OidcError('invalid_request', error.message);
    throw error;
  }
}

function requireField(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new OidcError('invalid_request', `${name} is required for this grant type.`);
  return value;
}

function requireGrant(client: ClientRegistration, grant: string): void {
  if (!allowsGrant(client, grant)) throw new OidcError('unauthorized_client', `Client is not registered for the ${grant} grant.`);
}

function requireRegisteredScopes(client: ClientRegistration, requested: readonly string[]): void {
  const badScope = unregisteredScope(requested, client.scopes);
  if (badScope !== undefined) throw new OidcError('invalid_scope', `Scope not registered for this client: ${badScope}`);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
