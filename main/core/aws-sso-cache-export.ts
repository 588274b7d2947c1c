import type { AwsSsoCacheEntry } from './aws-sso-cache-entry';
import type { StoredRegistration, StoredTokens } from './session-vault';
import type { SsoSessionSettings } from './sso-session-settings';

/**
 * The AWS CLI cache entry for a session's tokens (docs/contract.md section 8), or undefined when
 * the tokens belong to another portal or region than the session now names (the config
 * was edited since the sign-in; the AWS CLI would send the token to the wrong place) or
 * the access token has expired.
 *
 * The client registration and refresh token go in only when they belong together and
 * the registration is still valid: fromSSO and botocore refresh with them when the
 * token nears expiry and Latchkey is not running to do it first.
 */
export function awsSsoCacheEntryFor(
  session: SsoSessionSettings,
  tokens: StoredTokens,
  registration: StoredRegistration | undefined,
  nowMs: number,
): AwsSsoCacheEntry | undefined {
  if (tokens.startUrl !== session.startUrl || tokens.region !== session.region) return undefined;
  // An expired token is about to be refreshed (and exported then). Written now, it would
  // make an SDK refresh it first, which rotates the refresh token away from Latchkey.
  if (tokens.accessTokenExpiresAtMs <= nowMs) return undefined;
  const entry: AwsSsoCacheEntry = {
    startUrl: session.startUrl,
    region: session.region,
    accessToken: tokens.accessToken,
    expiresAtMs: tokens.accessTokenExpiresAtMs,
  };
  if (registration === undefined || registration.clientId !== tokens.clientId || registration.expiresAtMs <= nowMs) return entry;
  entry.clientId = registration.clientId;
  entry.clientSecret = registration.clientSecret;
  entry.registrationExpiresAtMs = registration.expiresAtMs;
  if (tokens.refreshToken !== undefined) entry.refreshToken = tokens.refreshToken;
  return entry;
}
