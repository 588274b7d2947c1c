import { describe, expect, it } from 'vitest';
import { InMemorySecretStore } from '../../../main/core/in-memory-secret-store';
import type { Logger } from '../../../main/core/logger';
import { secretRecordKey } from '../../../main/core/secret-records-keys';
import { SecretRecordsVault } from '../../../main/core/secret-records-vault';
import type { StoredRegistration, StoredRoleCredentials, StoredTokens } from '../../../main/core/session-vault';

const registration: StoredRegistration = {
  clientId: 'client-1',
  clientSecret: 'client-secret-1',
  expiresAtMs: 1_900_000_000_000,
  scopes: ['sso:account:access'],
  grantTypes: ['refresh_token'],
  region: 'us-east-1',
  startUrl: 'https://example.awsapps.com/start',
};
const tokens: StoredTokens = {
  accessToken: 'access-1',
  accessTokenExpiresAtMs: 1_800_000_000_000,
  region: 'us-east-1',
  startUrl: 'https://example.awsapps.com/start',
  clientId: 'client-1',
  obtainedAtMs: 1_799_996_400_000,
};
function role(accountId: string, roleName: string): StoredRoleCredentials {
  return { accountId, roleName, accessKeyId: 'ASIA', secretAccessKey: 'sk', sessionToken: 'st', expiresAtMs: 1_800_000_000_000 };
}

function recordingLogger(): Logger & { warnings: Array<[string, Record<string, unknown> | undefined]> } {
  const warnings: Array<[string, Record<string, unknown> | undefined]> = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (message, fields) => warnings.push([message, fields]) };
}

async function filledVault(): Promise<{ store: InMemorySecretStore; vault: SecretRecordsVault }> {
  const store = new InMemorySecretStore();
  const vault = new SecretRecordsVault({ store });
  for (const session of ['work', 'work:2']) {
    await vault.saveRegistration(session, registration);
    await vault.saveTokens(session, tokens);
    await vault.saveRoleCredentials(session, role('111111111111', 'Developer'));
    await vault.saveRoleCredentials(session, role('222222222222', 'ReadOnly'));
  }
  return { store, vault };
}

describe('SecretRecordsVault', () => {
  it('saves and reads every kind of record per session', async () => {
    const { vault } = await filledVault();
    expect(await vault.registration('work')).toEqual(registration);
    expect(await vault.tokens('work:2')).toEqual(tokens);
    expect(await vault.roleCredentials('work', '222222222222', 'ReadOnly')).toEqual(role('222222222222', 'ReadOnly'));
    expect(await vault.roleCredentials('work', '222222222222', 'Developer')).toBeUndefined();
    expect(await vault.tokens('elsewhere')).toBeUndefined();
  });

  it('wipeTokens removes the tokens and cached credentials of one session and keeps its registration', async () => {
    const { store, vault } = await filledVault();
    await vault.wipeTokens('work');
    expect(await vault.tokens('work')).toBeUndefined();
    expect(await vault.roleCredentials('work', '111111111111', 'Developer')).toBeUndefined();
    expect(await vault.registration('work')).toEqual(registration);
    expect((await store.keys()).filter((key) => key.includes('work%3A2'))).toHaveLength(4);
  });

  it('wipe removes every record of one session and nothing of another whose name extends it', async () => {
    const { store, vault } = await filledVault();
    await vault.wipe('work');
    expect(await store.keys()).toEqual([
      'registration:work%3A2',
      'role:work%3A2:111111111111:Developer',
      'role:work%3A2:222222222222:ReadOnly',
      'token:work%3A2',
    ]);
  });

  it.each([
    ['a damaged record', 'not json', 'corrupt'],
    ['a record from a newer Latchkey', '{"v":2,"kind":"token"}', 'newer_version'],
  ])('reads %s as absent and reports it without its contents', async (_name, text, reason) => {
    const store = new InMemorySecretStore({ [secretRecordKey({ kind: 'token', session: 'work' })]: text });
    const logger = recordingLogger();
    const vault = new SecretRecordsVault({ store, logger });
    expect(await vault.tokens('work')).toBeUndefined();
    expect(logger.warnings).toEqual([[expect.any(String), expect.objectContaining({ key: 'token:work', reason })]]);
    expect(JSON.stringify(logger.warnings)).not.toContain(text);
  });
});
