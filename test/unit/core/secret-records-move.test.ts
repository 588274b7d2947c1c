import { describe, expect, it } from 'vitest';
import { InMemorySecretStore } from '../../../main/core/in-memory-secret-store';
import type { Logger } from '../../../main/core/logger';
import { moveSecretRecords } from '../../../main/core/secret-records-move';
import type { SecretStore } from '../../../main/core/secret-store';

interface Logged {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

function recordingLogger(): { logger: Logger; lines: Logged[] } {
  const lines: Logged[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, ...(fields ? { fields } : {}) });
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

const CORP = {
  'registration:corp': '{"registration":"SECRETVALUE-1"}',
  'token:corp': '{"token":"SECRETVALUE-2"}',
  'role:corp:111111111111:Dev': '{"role":"SECRETVALUE-3"}',
};

async function contents(store: SecretStore): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const key of await store.keys()) entries[key] = (await store.get(key)) ?? '';
  return entries;
}

describe('moveSecretRecords', () => {
  it.each([
    ['kernel-keyring', 'secret-service'],
    ['secret-service', 'kernel-keyring'],
  ])('moves a session from the %s store to an empty %s store and removes it from the old one, saying so without secrets', async (fromName, toName) => {
    const from = new InMemorySecretStore(CORP);
    const to = new InMemorySecretStore();
    const { logger, lines } = recordingLogger();
    const result = await moveSecretRecords({ name: fromName, store: from }, { name: toName, store: to }, logger);
    expect(result).toEqual({ moved: ['corp'], lost: [] });
    expect(await contents(to)).toEqual({ 'registration:corp': CORP['registration:corp'], 'token:corp': CORP['token:corp'] });
    expect(await from.keys()).toEqual([]);
    expect(lines).toEqual([{ level: 'info', message: 'Moved a sign-in between stores', fields: { session: 'corp', from: fromName, to: toName, records: 3 } }]);
    expect(JSON.stringify(lines)).not.toContain('SECRETVALUE');
  });

  it('leaves a session alone that the new store already holds, so a newer sign-in is never overwritten', async () => {
    const from = new InMemorySecretStore(CORP);
    const to = new InMemorySecretStore({ 'token:corp': '{"token":"newer"}' });
    const result = await moveSecretRecords({ name: 'a', store: from }, { name: 'b', store: to }, recordingLogger().logger);
    expect(result).toEqual({ moved: [], lost: [] });
    expect(await contents(to)).toEqual({ 'token:corp': '{"token":"newer"}' });
    expect(await contents(from)).toEqual(CORP);
  });

  it('moves nothing and removes nothing when the other store cannot list (missing or locked)', async () => {
    const from = new InMemorySecretStore(CORP);
    const broken: SecretStore = Object.assign(new InMemorySecretStore(), { keys: async (): Promise<string[]> => Promise.reject(new Error('locked')) });
    const { logger, lines } = recordingLogger();
    expect(await moveSecretRecords({ name: 'a', store: from }, { name: 'b', store: broken }, logger)).toEqual({ moved: [], lost: [] });
    expect(await contents(from)).toEqual(CORP);
    expect(lines.map((line) => line.level)).toEqual(['debug']);
  });

  it('tells the user once to sign in again when a record reads back differently, and leaves no copy to find next time', async () => {
    const from = new InMemorySecretStore({ ...CORP, 'token:ops': '{"token":"ops"}' });
    const inner = new InMemorySecretStore();
    const garbling: SecretStore = {
      get: async (key) => ((await inner.get(key)) === undefined ? undefined : 'garbled'),
      set: (key, value) => inner.set(key, value),
      delete: (key) => inner.delete(key),
      keys: () => inner.keys(),
    };
    const { logger, lines } = recordingLogger();
    const result = await moveSecretRecords({ name: 'kernel-keyring', store: from }, { name: 'secret-service', store: garbling }, logger);
    expect(result).toEqual({ moved: [], lost: ['corp', 'ops'] });
    expect(await from.keys()).toEqual([]);
    expect(await inner.keys()).toEqual([]);
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => line.message)).toEqual([
      'Could not move the sign-in of corp from the kernel-keyring store to the secret-service store; sign in again with "latchkey login --session corp"',
      'Could not move the sign-in of ops from the kernel-keyring store to the secret-service store; sign in again with "latchkey login --session ops"',
    ]);
    expect(JSON.stringify(lines)).not.toContain('SECRETVALUE');
    expect(await moveSecretRecords({ name: 'kernel-keyring', store: from }, { name: 'secret-service', store: garbling }, logger)).toEqual({ moved: [], lost: [] });
  });

  it('ignores keys that are not records of a session', async () => {
    const from = new InMemorySecretStore({ probe: 'x', 'token:a%41': 'non-canonical' });
    expect(await moveSecretRecords({ name: 'a', store: from }, { name: 'b', store: new InMemorySecretStore() }, recordingLogger().logger)).toEqual({ moved: [], lost: [] });
    expect(await from.keys()).toEqual(['probe', 'token:a%41']);
  });
});
