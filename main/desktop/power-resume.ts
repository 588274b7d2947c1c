import { powerMonitor } from 'electron';
import { toDisposable, type Disposable } from '../core/lifecycle';

/**
 * Calls `onResume` when the system wakes from sleep, so that refreshes that fell due
 * while it slept run at once rather than within the refresher's half-minute re-check.
 * The headless agent has no such event and relies on that re-check alone.
 */
export function onSystemResume(onResume: () => void): Disposable {
  const listener = (): void => onResume();
  powerMonitor.on('resume', listener);
  return toDisposable(() => void powerMonitor.off('resume', listener));
}
