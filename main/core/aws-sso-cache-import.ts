import { isImportable, type AwsSsoCacheEntry } from './aws-sso-cache-entry';
import type { StoredRegistration, StoredTokens } from './session-vault';
import type { SsoSessionSettings } from './sso-session-settings';

/** What a sign-in made by the AWS CLI becomes in Latchkey's vault. */
export interface ImportedSignIn {
  tokens: StoredTokens;
  /** Only when the entry carries a usable client registration, which a refresh needs. */
  registration?: StoredRegistration;
}

/**
 * Stands for "no client": an entry without a registration (an old AWS CLI, a legacy
 * profile) still gives a usable access token, and StoredTokens needs some client id.
 * No registration ever has this id, so the token is never refreshed, only used until it expires.
 */
export const NO_CLIENT_ID = 'aws-cli-cache:no-client';

/**
 * The grant the AWS CLI's registration is known to have. Its flow's own grant
 * (device_code, or authorization_code with a redirect) is not written to the cache file,
 * so none is claimed: Latchkey's ClientRegistrar then registers its own client for the
 * next interactive sign-in rather than start a flow the client may not be allowed.
 */
const IMPORTED_GRANT_TYPES = ['refresh_token'];

/**
 * Maps an AWS CLI SSO cache entry to the session's token record (and registration), or
 * undefined when it cannot stand in for a sign-in to `session` (other portal or region,
 * too little time left). Times and names follow the vault: epoch milliseconds, the
 * session's own startUrl and region as the AWS config spells them.
 */
export function signInFromAwsSsoCache(entry: AwsSsoCacheEntry, session: SsoSessionSettings, nowMs: number): ImportedSignIn | undefined {
  if (!isImportable(entry, session, nowMs)) return undefined;
  const registration = registrationOf(entry, session, nowMs);
  const tokens: StoredTokens = {
    accessToken: entry.accessToken,
    accessTokenExpiresAtMs: entry.expiresAtMs,
    // A refresh token without its client is useless, and a refresh would fail as signed out.
    ...(registration !== undefined && entry.refreshToken !== undefined ? { refreshToken: entry.refreshToken } : {}),
    region: session.region,
    startUrl: session.startUrl,
    clientId: registration?.clientId ?? NO_CLIENT_ID,
    obtainedAtMs: nowMs,
  };
  return registration === undefined ? { tokens } : { tokens, registration };
}

function registrationOf(entry: AwsSsoCacheEntry, session: SsoSessionSettings, nowMs: number): StoredRegistration | undefined {
  const { clientId, clientSecret, registrationExpiresAtMs } = entry;
  if (clientId === undefined || clientSecret === undefined || registrationExpiresAtMs === undefined) return undefined;
  if (registrationExpiresAtMs <= nowMs) return undefined;
  return {
    clientId,
    clientSecret,
    expiresAtMs: registrationExpiresAtMs,
    // The AWS CLI registers with the sso-session's sso_registration_scopes, the same
    // setting Latchkey reads, so the scopes are the session's.
    scopes: [...session.registrationScopes],
    grantTypes: [...IMPORTED_GRANT_TYPES],
    region: session.region,
    startUrl: session.startUrl,
  };
}
