import { describe, expect, it, vi } from 'vitest';
import { onSystemResume } from '../../../main/desktop/power-resume';
import { electronFake } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

describe('the system resume event', () => {
  it('calls back each time the system wakes from sleep, and not after disposal', async () => {
    const resumed = vi.fn();
    const watching = onSystemResume(resumed);

    electronFake.powerMonitor.emit('resume');
    electronFake.powerMonitor.emit('suspend');
    electronFake.powerMonitor.emit('resume');
    await watching.dispose();
    electronFake.powerMonitor.emit('resume');

    expect(resumed).toHaveBeenCalledTimes(2);
    expect(electronFake.powerMonitor.listenerCount('resume')).toBe(0);
  });
});
