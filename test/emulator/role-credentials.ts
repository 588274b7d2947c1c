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

export class RoleCredentialIssuer {
  private sequence = 0;
  private readonly issued: IssuedCredential[] = [];

  constructor(
    private readonly ids: IdSource,
    private readonly clock: EmulatorClock,
    private readonly lifetimes: Lifetimes,
  ) {}

  issue(accountId: string, roleName: string): RoleCredentials {
    this.sequence += 1;
    const accessKeyId = `${ACCESS_KEY_PREFIX}${String(this.sequence).padStart(SEQUENCE_DIGITS, '0')}`;
    const expiration = this.clock.nowMs() + this.lifetimes.roleCredentialsSeconds * 1000;
    this.issued.push({ accessKeyId, accountId, roleName, expiration });
    return {
      accessKeyId,
      secretAccessKey: this.ids.token('secret-access-key', 30),
      sessionToken: `IQoJb3JpZ2luX2VtdWxhdG9y${this.ids.token('session-token', 240)}`,
      expiration,
    };
  }

  list(): IssuedCredential[] {
    return this.issued.map((credential) => ({ ...credential }));
  }
}
