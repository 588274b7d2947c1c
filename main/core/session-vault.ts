/**
 * Typed access to one user's keychain records, per sign-in session. Core logic reads and
 * writes whole records here; how they are encoded and split is the store's business.
 * A record that cannot be read (corrupt, from a newer Latchkey) reads as absent.
 */
export interface StoredRegistration {
  clientId: string;
  clientSecret: string;
  expiresAtMs: number;
  scopes: string[];
  grantTypes: string[];
  redirectUris?: string[];
  region: string;
  startUrl: string;
}

export interface StoredTokens {
  accessToken: string;
  accessTokenExpiresAtMs: number;
  refreshToken?: string;
  region: string;
  startUrl: string;
  clientId: string;
  obtainedAtMs: number;
}

export interface StoredRoleCredentials {
  accountId: string;
  roleName: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAtMs: number;
  /**
   * When Latchkey received them: with expiresAtMs, the life they were issued with, which
   * decides how long they are served. Absent in records written before it was kept.
   */
  obtainedAtMs?: number;
}

export interface SessionVault {
  registration(session: string): Promise<StoredRegistration | undefined>;
  saveRegistration(session: string, registration: StoredRegistration): Promise<void>;
  deleteRegistration(session: string): Promise<void>;
  tokens(session: string): Promise<StoredTokens | undefined>;
  saveTokens(session: string, tokens: StoredTokens): Promise<void>;
  roleCredentials(session: string, accountId: string, roleName: string): Promise<StoredRoleCredentials | undefined>;
  saveRoleCredentials(session: string, credentials: StoredRoleCredentials): Promise<void>;
  /** Signed out by AWS: removes the tokens and cached role credentials, keeps the registration. */
  wipeTokens(session: string): Promise<void>;
  /** Removes every record of the session: tokens, cached credentials, registration. */
  wipe(session: string): Promise<void>;
}
