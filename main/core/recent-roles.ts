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
  private writing: Promise<void> = Promise.resolve();

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
    // One write at a time, in order: the last one written is the newest list.
    this.writing = this.writing
      .then(() => this.store.write(snapshot))
      .catch((error: unknown) => this.logger.warn('Could not keep the recently used roles', { message: error instanceof Error ? error.message : String(error) }));
  }

  /** Resolves once every write asked for so far has been tried (tests, shutdown). */
  flushed(): Promise<void> {
    return this.writing;
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
