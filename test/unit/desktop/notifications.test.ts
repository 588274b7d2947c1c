import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notice } from '../../../main/core/notification-policy';
import { Notifications } from '../../../main/desktop/notifications';
import { FakeNotification } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

const notice = (sessions: string[], signInSession?: string): Notice => ({ title: 't', body: 'b', sessions, ...(signInSession ? { signInSession } : {}) });
let notifications: Notifications;
const activated: Notice[] = [];
const onClosed = vi.fn();
beforeEach(() => {
  FakeNotification.instances = [];
  activated.length = 0;
  onClosed.mockReset();
  notifications = new Notifications({ onActivate: (n) => activated.push(n), onClosed });
});
afterEach(() => notifications.dispose());

describe('Notifications', () => {
  it('replaces the previous notification instead of stacking', () => {
    notifications.apply({ kind: 'show', notice: notice(['corp'], 'corp') });
    notifications.apply({ kind: 'show', notice: notice(['corp', 'dev']) });
    const [first, second] = FakeNotification.instances;
    expect(first?.closed).toBe(true);
    expect(second?.shown).toBe(true);
    expect(onClosed).not.toHaveBeenCalled(); // a replacement is not a dismissal
  });

  it('offers a Sign in action only when one session needs it', () => {
    notifications.apply({ kind: 'show', notice: notice(['corp'], 'corp') });
    notifications.apply({ kind: 'show', notice: notice(['corp', 'dev']) });
    expect(FakeNotification.instances[0]?.options.actions).toEqual([{ type: 'button', text: 'Sign in' }]);
    expect(FakeNotification.instances[1]?.options.actions).toBeUndefined();
  });

  it.each(['click', 'action'])('a %s activates with the notice', (event) => {
    const shown = notice(['corp'], 'corp');
    notifications.apply({ kind: 'show', notice: shown });
    FakeNotification.instances[0]?.emit(event, {}, 0, -1);
    expect(activated).toEqual([shown]);
  });

  it('closes on a close decision and ignores none', () => {
    notifications.apply({ kind: 'show', notice: notice(['corp']) });
    notifications.apply({ kind: 'none' });
    expect(FakeNotification.instances[0]?.closed).toBe(false);
    notifications.apply({ kind: 'close' });
    expect(FakeNotification.instances[0]?.closed).toBe(true);
    expect(FakeNotification.instances).toHaveLength(1);
  });

  it('reports a dismissal by the person', () => {
    notifications.apply({ kind: 'show', notice: notice(['corp']) });
    FakeNotification.instances[0]?.emit('close', {});
    expect(onClosed).toHaveBeenCalledTimes(1);
  });
});
