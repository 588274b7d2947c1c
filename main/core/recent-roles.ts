import { isAccountId, isRoleName, accountDisplayText } from './aws-identifiers';
import type { Clock } from './clock';
import { Emitter } from './emitter';
import type { Disposable } from './lifecycle';
import { isJsonObject } from './json-object';
import type { Logger } from './logger';
import { isPrintable } from './printable-text';
import type { RecentRoleView, RoleRef } from './role-actions';

/** How many roles are remembered; the tray shows five, the window all of them. */
export const RECENT_ROLES_KEPT = 20;
/** Session names are the config's; the agent's own bound on them. */
const MAX_SESSION_NAME_CHARS = 128;

/** Where the list is kept between runs (main/agent/recent-roles-file.ts); not a secret. */
export interface RecentRolesStore {
  /** The stored JSON as parsed, or undefined when nothing was stored. */
  read(): Promise<unknown>;
  write(entries: RecentRoleView[]): Promise<void>;
}

/**
 * The roles used lately, newest first, from credentials served (credential_process,
 * export, exec) and consoles opened. Used on every credential_process call, so a use of
 * the role already first changes only its time in memory: the store is written when the
 * order changes, never on the hot path of a tool that asks for the same role again.
 */
export class RecentRoles {
  private entries: RecentRoleView[] = [];
  private readonly changed = new Emitter<RecentRoleView[]>();
  /** The write in progress, until nothing is left to write. */
  private writing: Promise<void> | undefined;
  /** The newest list not yet handed to the store: only the last one matters. */
  private unwritten: RecentRoleView[] | undefined;

  constructor(
    private readonly store: RecentRolesStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Reads what an earlier run kept; entries that do not validate are dropped, a broken file is ignored. */
  async load(): Promise<void> {
    try {
      this.entries = readEntries(await this.store.read());
    } catch (error) {
      this.logger.warn('Could not read the recently used roles', { message: error instanceof Error ? error.message : String(error) });
    }
  }

  list(): RecentRoleView[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  onChanged(listener: (recent: RecentRoleView[]) => void): Disposable {
    return this.changed.on(listener);
  }

  record(role: RoleRef, accountName: string | undefined): void {
    const usedAtMs = this.clock.nowMs();
    const name = accountName === undefined ? role.accountId : accountDisplayText(accountName);
    const first = this.entries[0];
    if (first !== undefined && sameRole(first, role) && first.accountName === name) {
      first.usedAtMs = usedAtMs;
      return;
    }
    const entry: RecentRoleView = { session: role.session, accountId: role.accountId, roleName: role.roleName, accountName: name, usedAtMs };
    this.entries = [entry, ...this.entries.filter((known) => !sameRole(known, role))].slice(0, RECENT_ROLES_KEPT);
    const snapshot = this.list();
    this.changed.fire(snapshot);
    // One write at a time, and only the newest list waits for it: lists that changed
    // while a write was under way are never written. Chaining a write per change held
    // every list in memory behind the file system: 50 roles asked for in turn, 1,000
    // at a time, made ~0.9 queued writes a request, ~1.7 KiB each, until the queue
    // drained (test/reliability/load.test.ts).
    this.unwritten = snapshot;
    this.writing ??= this.writeUnwritten();
  }

  /** Resolves once the newest list asked for so far has been tried (tests, shutdown). */
  flushed(): Promise<void> {
    return this.writing ?? Promise.resolve();
  }

  private async writeUnwritten(): Promise<void> {
    // Awaits before ending, so `writing` is set (in record) before this clears it.
    for (let entries = this.unwritten; entries !== undefined; entries = this.unwritten) {
      this.unwritten = undefined;
      try {
        await this.store.write(entries);
      } catch (error) {
        this.logger.warn('Could not keep the recently used roles', { message: error instanceof Error ? error.message : String(error) });
      }
    }
    this.writing = undefined;
  }
}

function sameRole(a: RoleRef, b: RoleRef): boolean {
  return a.session === b.session && a.accountId === b.accountId && a.roleName === b.roleName;
}

function readEntries(stored: unknown): RecentRoleView[] {
  if (stored === undefined) return [];
  if (!isJsonObject(stored) || stored.version !== 1 || !Array.isArray(stored.roles)) throw new Error('the file is not a list of roles Latchkey wrote');
  const entries: RecentRoleView[] = [];
  for (const item of stored.roles) {
    const entry = readEntry(item);
    if (entry !== undefined && !entries.some((known) => sameRole(known, entry))) entries.push(entry);
  }
  return entries.sort((a, b) => b.usedAtMs - a.usedAtMs).slice(0, RECENT_ROLES_KEPT);
}

function readEntry(item: unknown): RecentRoleView | undefined {
  if (!isJsonObject(item)) return undefined;
  const { session, accountId, roleName, accountName, usedAtMs } = item;
  if (typeof session !== 'string' || session === '' || session.length > MAX_SESSION_NAME_CHARS || !isPrintable(session)) return undefined;
  if (!isAccountId(accountId) || !isRoleName(roleName)) return undefined;
  if (typeof accountName !== 'string' || typeof usedAtMs !== 'number' || !Number.isSafeInteger(usedAtMs) || usedAtMs < 0) return undefined;
  return { session, accountId, roleName, accountName: accountDisplayText(accountName), usedAtMs };
}

/** The stored form: versioned, so a later Latchkey can tell its own files apart. */
export function recentRolesDocument(entries: readonly RecentRoleView[]): { version: 1; roles: readonly RecentRoleView[] } {
  return { version: 1, roles: entries };
}
