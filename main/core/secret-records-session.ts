import type { SecretStore } from './secret-store';
import { parseSecretRecordKey, type SecretRecordKind, type SecretRecordRef } from './secret-records-keys';

/**
 * Finding and wiping one session's records, for logout. Keys are listed from the store
 * rather than rebuilt from config, so cached credentials of roles no longer in the config,
 * and records of sessions since removed from it, are found too.
 */

/** Most sensitive first, so a logout cut short leaves the least behind. */
const WIPE_ORDER: readonly SecretRecordKind[] = ['token', 'role', 'registration'];

export interface SessionRecord {
  key: string;
  ref: SecretRecordRef;
}

export async function sessionRecords(store: SecretStore, session: string): Promise<SessionRecord[]> {
  const records: SessionRecord[] = [];
  for (const key of await store.keys()) {
    const ref = parseSecretRecordKey(key);
    if (ref?.session === session) records.push({ key, ref });
  }
  return records.sort((a, b) => WIPE_ORDER.indexOf(a.ref.kind) - WIPE_ORDER.indexOf(b.ref.kind));
}

/** Deletes the session's records of the given kinds (all by default); returns the keys deleted. */
export async function deleteSessionRecords(
  store: SecretStore,
  session: string,
  kinds: readonly SecretRecordKind[] = WIPE_ORDER,
): Promise<string[]> {
  const deleted: string[] = [];
  for (const { key, ref } of await sessionRecords(store, session)) {
    if (!kinds.includes(ref.kind)) continue;
    await store.delete(key);
    deleted.push(key);
  }
  return deleted;
}

/** Every session that has at least one record, for `logout --all`. */
export async function sessionsWithRecords(store: SecretStore): Promise<string[]> {
  const sessions = new Set<string>();
  for (const key of await store.keys()) {
    const ref = parseSecretRecordKey(key);
    if (ref) sessions.add(ref.session);
  }
  return [...sessions].sort();
}
