import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/logger';
import { RECENT_ROLES_KEPT, RecentRoles, type RecentRolesStore } from '../../../main/core/recent-roles';
import type { RecentRoleView } from '../../../main/core/role-actions';
import { FakeClock } from '../../support/fake-clock';

class MemoryStore implements RecentRolesStore {
  writes: RecentRoleView[][] = [];
  constructor(public stored: unknown = undefined) {}
  async read(): Promise<unknown> {
    return this.stored;
  }
  async write(entries: RecentRoleView[]): Promise<void> {
    this.writes.push(entries);
    this.stored = { version: 1, roles: entries };
  }
}

const role = (accountId: string, roleName = 'ReadOnly') => ({ session: 'corp', accountId, roleName });

describe('the recently used roles', () => {
  it('puts the last used role first and keeps each role once', async () => {
    const recent = new RecentRoles(new MemoryStore(), new FakeClock({ startMs: 1000 }), silentLogger);
    recent.record(role('111111111111'), 'Development');
    recent.record(role('222222222222'), 'Production');
    recent.record(role('111111111111'), 'Development');
    expect(recent.list().map((r) => r.accountName)).toEqual(['Development', 'Production']);
  });

  it('writes the store only when the order changes, not on every use of the first role', async () => {
    const store = new MemoryStore();
    const clock = new FakeClock({ startMs: 1000 });
    const recent = new RecentRoles(store, clock, silentLogger);
    recent.record(role('111111111111'), 'Development');
    for (let i = 0; i < 100; i += 1) {
      await clock.advance(1000);
      recent.record(role('111111111111'), 'Development');
    }
    await recent.flushed();
    expect(store.writes).toHaveLength(1);
    expect(recent.list()[0]?.usedAtMs).toBe(101_000);
  });

  it('holds only the newest list while a write is under way, not one per change (issue 14: load)', async () => {
    // A store as slow as a disk under load: each write waits until released.
    const releases: (() => void)[] = [];
    const store = new MemoryStore();
    const slow: RecentRolesStore = {
      read: () => store.read(),
      write: async (entries) => {
        await new Promise<void>((release) => releases.push(release));
        await store.write(entries);
      },
    };
    const recent = new RecentRoles(slow, new FakeClock({ startMs: 0 }), silentLogger);
    // 50 roles asked for in turn, as the load test does: every use changes the order.
    for (let i = 0; i < 1000; i += 1) recent.record(role(String(100000000000 + (i % 50))), undefined);
    await new Promise((r) => setImmediate(r));
    expect(releases).toHaveLength(1);
    releases.shift()?.();
    await new Promise((r) => setImmediate(r));
    expect(releases).toHaveLength(1);
    releases.shift()?.();
    await new Promise((r) => setImmediate(r));
    // The first list, then the newest; the 998 in between were never queued.
    expect(releases).toHaveLength(0);
    expect(store.writes).toHaveLength(2);
    await recent.flushed();
    expect(store.writes[1]).toEqual(recent.list());
  });

  it('writes again after a write that failed', async () => {
    let fail = true;
    const store = new MemoryStore();
    const flaky: RecentRolesStore = {
      read: () => store.read(),
      write: async (entries) => {
        if (fail) throw new Error('disk full');
        await store.write(entries);
      },
    };
    const recent = new RecentRoles(flaky, new FakeClock({ startMs: 0 }), silentLogger);
    recent.record(role('111111111111'), undefined);
    await recent.flushed();
    fail = false;
    recent.record(role('222222222222'), undefined);
    await recent.flushed();
    expect(store.writes.map((w) => w.map((r) => r.accountId))).toEqual([['222222222222', '111111111111']]);
  });

  it('tells its listeners the new list when it changes', () => {
    const recent = new RecentRoles(new MemoryStore(), new FakeClock({ startMs: 0 }), silentLogger);
    const heard: string[][] = [];
    recent.onChanged((list) => heard.push(list.map((r) => r.accountId)));
    recent.record(role('111111111111'), undefined);
    recent.record(role('111111111111'), undefined);
    recent.record(role('222222222222'), undefined);
    expect(heard).toEqual([['111111111111'], ['222222222222', '111111111111']]);
  });

  it(`keeps the ${RECENT_ROLES_KEPT} newest`, () => {
    const recent = new RecentRoles(new MemoryStore(), new FakeClock({ startMs: 0 }), silentLogger);
    for (let i = 0; i < RECENT_ROLES_KEPT + 5; i += 1) recent.record(role(String(100000000000 + i)), undefined);
    expect(recent.list()).toHaveLength(RECENT_ROLES_KEPT);
    expect(recent.list()[0]?.accountId).toBe(String(100000000000 + RECENT_ROLES_KEPT + 4));
  });

  it('reads back what an earlier run kept, dropping entries that do not validate', async () => {
    const store = new MemoryStore({
      version: 1,
      roles: [
        { session: 'corp', accountId: '111111111111', roleName: 'ReadOnly', accountName: 'Dev\u001b[2J', usedAtMs: 5 },
        { session: 'corp', accountId: '22222', roleName: 'ReadOnly', accountName: 'short id', usedAtMs: 9 },
        { session: 'corp', accountId: '333333333333', roleName: 'Read Only', accountName: 'bad role', usedAtMs: 9 },
        { session: 'corp', accountId: '444444444444', roleName: 'Admin', accountName: 'Ops', usedAtMs: 7 },
        'not an entry',
      ],
    });
    const recent = new RecentRoles(store, new FakeClock({ startMs: 0 }), silentLogger);
    await recent.load();
    expect(recent.list().map((r) => [r.accountId, r.accountName])).toEqual([
      ['444444444444', 'Ops'],
      ['111111111111', 'Dev\uFFFD[2J'],
    ]);
  });

  it('starts empty from a file that is not its own', async () => {
    const recent = new RecentRoles(new MemoryStore({ roles: 'nope' }), new FakeClock({ startMs: 0 }), silentLogger);
    await recent.load();
    expect(recent.list()).toEqual([]);
  });
});
