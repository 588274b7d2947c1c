import type { SessionVault, StoredRegistration, StoredRoleCredentials, StoredTokens } from '../../main/core/session-vault';

/** A SessionVault in plain maps, for tests of the logic above the keychain. */
export class MemorySessionVault implements SessionVault {
  readonly registrations = new Map<string, StoredRegistration>();
  readonly tokenSets = new Map<string, StoredTokens>();
  readonly credentials = new Map<string, StoredRoleCredentials>();
  credentialWrites = 0;

  async registration(session: string): Promise<StoredRegistration | undefined> {
    return this.registrations.get(session);
  }
  async saveRegistration(session: string, registration: StoredRegistration): Promise<void> {
    this.registrations.set(session, registration);
  }
  async deleteRegistration(session: string): Promise<void> {
    this.registrations.delete(session);
  }
  async tokens(session: string): Promise<StoredTokens | undefined> {
    return this.tokenSets.get(session);
  }
  async saveTokens(session: string, tokens: StoredTokens): Promise<void> {
    this.tokenSets.set(session, tokens);
  }
  async roleCredentials(session: string, accountId: string, roleName: string): Promise<StoredRoleCredentials | undefined> {
    return this.credentials.get(`${session}/${accountId}/${roleName}`);
  }
  async saveRoleCredentials(session: string, credentials: StoredRoleCredentials): Promise<void> {
    this.credentialWrites += 1;
    this.credentials.set(`${session}/${credentials.accountId}/${credentials.roleName}`, credentials);
  }
  async wipeTokens(session: string): Promise<void> {
    this.tokenSets.delete(session);
    for (const key of [...this.credentials.keys()]) if (key.startsWith(`${session}/`)) this.credentials.delete(key);
  }
  async wipe(session: string): Promise<void> {
    await this.wipeTokens(session);
    this.registrations.delete(session);
  }
}
