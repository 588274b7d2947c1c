import type { Logger } from './logger';
import { silentLogger } from './logger';
import type { SecretStore } from './secret-store';
import { decodeSecretRecord, encodeSecretRecord, type SecretRecordTypes } from './secret-records';
import { secretRecordKey, type SecretRecordKind, type SecretRecordRef } from './secret-records-keys';
import { deleteSessionRecords } from './secret-records-session';
import type { SessionVault, StoredRegistration, StoredRoleCredentials, StoredTokens } from './session-vault';

export interface SecretRecordsVaultOptions {
  store: SecretStore;
  /** Told about records that are skipped as unreadable; never given their contents. */
  logger?: Logger;
}

type RefOf<K extends SecretRecordKind> = Extract<SecretRecordRef, { kind: K }>;

/**
 * SessionVault over a SecretStore, one versioned JSON record per registration, token set
 * and cached role credential. An unreadable record (damaged, or written by a newer
 * Latchkey) is reported to the logger and read as absent: the worst case is one more
 * sign-in, never a crash. Keychain failures themselves (locked, unavailable) propagate.
 */
export class SecretRecordsVault implements SessionVault {
  private readonly store: SecretStore;
  private readonly logger: Logger;

  constructor(options: SecretRecordsVaultOptions) {
    this.store = options.store;
    this.logger = options.logger ?? silentLogger;
  }

  registration(session: string): Promise<StoredRegistration | undefined> {
    return this.read({ kind: 'registration', session });
  }

  saveRegistration(session: string, registration: StoredRegistration): Promise<void> {
    return this.write({ kind: 'registration', session }, registration);
  }

  deleteRegistration(session: string): Promise<void> {
    return this.store.delete(secretRecordKey({ kind: 'registration', session }));
  }

  tokens(session: string): Promise<StoredTokens | undefined> {
    return this.read({ kind: 'token', session });
  }

  saveTokens(session: string, tokens: StoredTokens): Promise<void> {
    return this.write({ kind: 'token', session }, tokens);
  }

  roleCredentials(session: string, accountId: string, roleName: string): Promise<StoredRoleCredentials | undefined> {
    return this.read({ kind: 'role', session, accountId, roleName });
  }

  saveRoleCredentials(session: string, credentials: StoredRoleCredentials): Promise<void> {
    const { accountId, roleName } = credentials;
    return this.write({ kind: 'role', session, accountId, roleName }, credentials);
  }

  async wipeTokens(session: string): Promise<void> {
    await deleteSessionRecords(this.store, session, ['token', 'role']);
  }

  async wipe(session: string): Promise<void> {
    await deleteSessionRecords(this.store, session);
  }

  private async read<K extends SecretRecordKind>(ref: RefOf<K>): Promise<SecretRecordTypes[K] | undefined> {
    const key = secretRecordKey(ref);
    const text = await this.store.get(key);
    if (text === undefined) return undefined;
    const decoded = decodeSecretRecord<K>(ref.kind as K, text);
    if (decoded.ok) return decoded.record;
    this.logger.warn('Ignoring an unreadable keychain record', { key, reason: decoded.reason, detail: decoded.detail });
    return undefined;
  }

  private write<K extends SecretRecordKind>(ref: RefOf<K>, record: SecretRecordTypes[K]): Promise<void> {
    return this.store.set(secretRecordKey(ref), encodeSecretRecord<K>(ref.kind as K, record));
  }
}
