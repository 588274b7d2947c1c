import { LatchkeyError } from '../core/errors';
import type { SignInNeededWire, SignInStarterWire } from './agent-wire-types';

/**
 * `signed_out` with where a person can sign the session in: the error body carries it as
 * `signIn` (error-status.ts), so a caller that waits can say where, and the message
 * alone already tells someone who does not wait what to do.
 */
export class SignInNeededError extends LatchkeyError {
  constructor(
    message: string,
    readonly signIn: SignInNeededWire,
  ) {
    super('signed_out', message);
    this.name = 'SignInNeededError';
  }
}

/** A sign-in is running and the caller did not wait for it. */
export function signInInProgress(session: string, starter: SignInStarterWire, app: boolean): SignInNeededError {
  return new SignInNeededError(`A sign-in to ${session} is in progress ${where(session, starter)}, then run this again.`, {
    session,
    inProgress: starter,
    app,
  });
}

/** The caller waited `waitSeconds` and the session is still not signed in. */
export function signInNotDone(session: string, waitSeconds: number, starter: SignInStarterWire | undefined, app: boolean): SignInNeededError {
  const waited = waitSeconds % 60 === 0 && waitSeconds > 0 ? plural(waitSeconds / 60, 'minute') : plural(waitSeconds, 'second');
  const message =
    starter === undefined
      ? `${session} was not signed in within ${waited}; run "latchkey login --session ${session}", then run this again.`
      : `${session} is still not signed in after ${waited}: the sign-in is in progress ${where(session, starter)}, then run this again.`;
  return new SignInNeededError(message, { session, ...(starter === undefined ? {} : { inProgress: starter }), app });
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

function where(session: string, starter: SignInStarterWire): string {
  switch (starter.by) {
    case 'command':
      return `in "${starter.command}" (pid ${starter.pid}); approve it there, or run "latchkey login --session ${session}" to see its code here`;
    case 'app':
      return 'in the Latchkey window; finish it there';
    case 'unknown':
      return `in another program; run "latchkey login --session ${session}" to see its code here`;
  }
}
