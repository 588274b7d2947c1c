import type { EmulatorClock } from './emulator-clock';
import type { IdSource } from './id-source';
import type { Lifetimes } from './lifetimes';

/**
 * Temporary access key ids start with ASIA and are 20 characters; ours carry a
 * sequence number after `ASIAEMUL`, so a test can tell which call issued a key.
 */
const ACCESS_KEY_PREFIX = 'ASIAEMUL';
const SEQUENCE_DIGITS = 12;

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds, as GetRoleCredentials sends it. */
  expiration: number;
}

export interface IssuedCredential {
  accessKeyId: string;
  accountId: string;
  roleName: string;
  expiration: number;
}

/** What the federation endpoint makes of a Session's credentials. */
export type CredentialCheck = { result: 'valid'; credential: IssuedCredential } | { result: 'unknown' | 'expired' };

export class RoleCredentialIssuer {
  private sequence = 0;
  private readonly issued: IssuedCredential[] = [];
  /** The secret half of each issued key, for the federation endpoint's check; never listed. */
  private readonly secrets = new Map<string, { secretAccessKey: string; sessionToken: string }>();

  constructor(
    private readonly ids: IdSource,
    private readonly clock: EmulatorClock,
    private readonly lifetimes: Lifetimes,
  ) {}

  issue(accountId: string, roleName: string): RoleCredentials {
    this.sequence += 1;
    const accessKeyId = `${ACCESS_KEY_PREFIX}${String(this.sequence).padStart(SEQUENCE_DIGITS, '0')}`;
    const expiration = this.clock.nowMs() + this.lifetimes.roleCredentialsSeconds * 1000;
    const secretAccessKey = this.ids.token('secret-access-key', 30);
    const sessionToken = `IQoJb3JpZ2luX2VtdWxhdG9y${this.ids.token('session-token', 240)}`;
    this.issued.push({ accessKeyId, accountId, roleName, expiration });
    this.secrets.set(accessKeyId, { secretAccessKey, sessionToken });
    return { accessKeyId, secretAccessKey, sessionToken, expiration };
  }

  /** Whether all three parts are one issued credential, and whether it is still live. */
  check(accessKeyId: string, secretAccessKey: string, sessionToken: string): CredentialCheck {
    const secret = this.secrets.get(accessKeyId);
    const credential = this.issued.find((issued) => issued.accessKeyId === accessKeyId);
    if (secret === undefined || credential === undefined) return { result: 'unknown' };
    if (secret.secretAccessKey !== secretAccessKey || secret.sessionToken !== sessionToken) return { result: 'unknown' };
    if (credential.expiration <= this.clock.nowMs()) return { result: 'expired' };
    return { result: 'valid', credential: { ...credential } };
  }

  list(): IssuedCredential[] {
    return this.issued.map((credential) => ({ ...credential }));
  }
}
