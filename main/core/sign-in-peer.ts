import type { ImportedSignIn } from './aws-sso-cache-import';
import type { StoredRegistration, StoredTokens } from './session-vault';
import type { SsoSessionSettings } from './sso-session-settings';

/**
 * Another client's copy of a session's sign-in: the AWS CLI's SSO cache file, which
 * botocore and the JS SDK refresh by themselves. IAM Identity Center rotates the refresh
 * token on every refresh and refuses the old one, so two clients that share a sign-in
 * keep working only if each looks at the other's copy before refreshing (the other may
 * have rotated already) and hands the new tokens over after (the other still holds the
 * refresh token just spent). SessionTokens does both through this seam.
 */
export interface SignInPeer {
  /** The peer's sign-in for the session's portal, when it holds one Latchkey may use. Never rejects. */
  read(session: SsoSessionSettings): Promise<ImportedSignIn | undefined>;
  /** Hands the peer the renewed sign-in; resolves once it is in place. Never rejects. */
  write(session: SsoSessionSettings, tokens: StoredTokens, registration: StoredRegistration): Promise<void>;
}

/**
 * Whether the peer's sign-in is a later one than Latchkey's: another token that lives at
 * least as long. Its refresh then happened after ours (or it signed in again), so our
 * refresh token is the spent one. Compared in whole seconds: botocore writes the expiry
 * without its milliseconds, so a refresh made in the same second reads as a little earlier.
 */
export function isLaterSignIn(theirs: StoredTokens, ours: StoredTokens): boolean {
  const seconds = (ms: number): number => Math.floor(ms / 1000);
  return theirs.accessToken !== ours.accessToken && seconds(theirs.accessTokenExpiresAtMs) >= seconds(ours.accessTokenExpiresAtMs);
}

/** Whether the peer still holds the refresh token that a refresh from `ours` spends. */
export function holdsRefreshToken(theirs: ImportedSignIn | undefined, ours: StoredTokens): boolean {
  return theirs?.tokens.refreshToken !== undefined && theirs.tokens.refreshToken === ours.refreshToken;
}
