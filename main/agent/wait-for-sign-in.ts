import type { Clock } from '../core/clock';
import type { Emitter } from '../core/emitter';
import type { SessionEvent } from '../core/session-events';

/**
 * Resolves when a sign-in of `session` ends (signed in or failed), after `timeoutMs`, or
 * when `signal` aborts, whichever comes first; never rejects. The caller then simply
 * asks again and answers with whatever that gives.
 */
export function waitForSignIn(
  events: Emitter<SessionEvent>,
  session: string,
  timeoutMs: number,
  clock: Clock,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const timer = new AbortController();
    const subscription = events.on((event) => {
      if (event.session === session && (event.type === 'signed-in' || event.type === 'sign-in-failed')) finish();
    });
    signal.addEventListener('abort', finish, { once: true });
    clock.sleep(timeoutMs, timer.signal).then(finish, finish);
    function finish(): void {
      subscription.dispose();
      signal.removeEventListener('abort', finish);
      timer.abort();
      resolve();
    }
  });
}
