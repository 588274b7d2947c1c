import type { Logger } from './logger';
import type { SecretStore } from './secret-store';
import { parseSecretRecordKey } from './secret-records-keys';

export interface NamedSecretStore {
  /** How the log names it: `kernel-keyring`, `secret-service`. */
  name: string;
  store: SecretStore;
}

export interface SecretRecordsMove {
  /** Sessions whose records now live in `to` only. */
  moved: string[];
  /** Sessions that could not be moved; their records are gone from both stores and the user was told to sign in again. */
  lost: string[];
}

/**
 * Moves every session that has records in `from` and none in `to` over to `to`: each
 * registration and token record is written, read back and compared, and only when the whole session is in `to`
 * are its records deleted from `from`. So a user who switches stores (installs a Secret
 * Service, or picks LATCHKEY_STORE=kernel-keyring) keeps their sign-in. A session that
 * cannot be moved is removed from both stores and named in one warning, so the user is
 * told once to sign in again, not at every start by a copy nothing will ever read.
 * Either store failing to list (locked, missing) moves nothing and removes nothing.
 */
export async function moveSecretRecords(from: NamedSecretStore, to: NamedSecretStore, logger: Logger): Promise<SecretRecordsMove> {
  const result: SecretRecordsMove = { moved: [], lost: [] };
  let pending: Map<string, string[]>;
  try {
    pending = recordsBySession(await from.store.keys());
    for (const session of recordsBySession(await to.store.keys()).keys()) pending.delete(session);
  } catch (error) {
    // The other store is missing or locked: the usual case on a machine that has only one.
    logger.debug('No sign-in records to move between stores', { from: from.name, to: to.name, message: messageOf(error) });
    return result;
  }
  for (const [session, keys] of pending) {
    try {
      // Role credentials are a cache the token mints again within seconds; carrying them
      // would only spend the kernel keyring's small per-user quota (20000 bytes by default).
      for (const key of keys) if (parseSecretRecordKey(key)?.kind !== 'role') await copyRecord(from.store, to.store, key);
      for (const key of keys) await from.store.delete(key);
      result.moved.push(session);
      logger.info('Moved a sign-in between stores', { session, from: from.name, to: to.name, records: keys.length });
    } catch (error) {
      await removeQuietly(to.store, keys);
      await removeQuietly(from.store, keys);
      result.lost.push(session);
      logger.warn(`Could not move the sign-in of ${session} from the ${from.name} store to the ${to.name} store; sign in again with "latchkey login --session ${session}"`, {
        session,
        message: messageOf(error),
      });
    }
  }
  return result;
}

function recordsBySession(keys: readonly string[]): Map<string, string[]> {
  const sessions = new Map<string, string[]>();
  for (const key of keys) {
    const ref = parseSecretRecordKey(key);
    if (ref === undefined) continue;
    sessions.set(ref.session, [...(sessions.get(ref.session) ?? []), key]);
  }
  return sessions;
}

async function copyRecord(from: SecretStore, to: SecretStore, key: string): Promise<void> {
  const value = await from.get(key);
  // Deleted by another process since the listing: nothing to carry.
  if (value === undefined) return;
  await to.set(key, value);
  if ((await to.get(key)) !== value) throw new Error(`the ${key.split(':', 1)[0] ?? 'record'} record read back differently`);
}

async function removeQuietly(store: SecretStore, keys: readonly string[]): Promise<void> {
  for (const key of keys) await store.delete(key).catch(() => undefined);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
