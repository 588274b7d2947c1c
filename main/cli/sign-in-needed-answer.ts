import type { SignInNeededWire, SignInStarterWire } from '../agent/agent-wire-types';
import { LatchkeyError } from '../core/errors';
import { isJsonObject } from '../core/json-object';
import { printable } from '../core/printable-text';

/** A `signed_out` answer that says where the session can be signed in (docs/agent-api.md). */
export class SignInNeededAnswer extends LatchkeyError {
  constructor(
    message: string,
    readonly signIn: SignInNeededWire,
  ) {
    super('signed_out', message);
    this.name = 'SignInNeededAnswer';
  }
}

/** The `signIn` of an error body, checked; anything malformed reads as absent (the message still stands). */
export function readSignInNeeded(value: unknown): SignInNeededWire | undefined {
  if (!isJsonObject(value) || typeof value['session'] !== 'string' || typeof value['app'] !== 'boolean') return undefined;
  const base = { session: printable(value['session']), app: value['app'] };
  if (value['inProgress'] === undefined) return base;
  const inProgress = readStarter(value['inProgress']);
  return inProgress === undefined ? undefined : { ...base, inProgress };
}

function readStarter(value: unknown): SignInStarterWire | undefined {
  if (!isJsonObject(value)) return undefined;
  switch (value['by']) {
    case 'app':
      return { by: 'app' };
    case 'unknown':
      return { by: 'unknown' };
    case 'command': {
      const { command, pid } = value;
      if (typeof command !== 'string' || typeof pid !== 'number' || !Number.isSafeInteger(pid)) return undefined;
      return { by: 'command', command: printable(command), pid };
    }
    default:
      return undefined;
  }
}

/** Whether waiting can end in a sign-in: one is in flight, or the desktop app can offer one. */
export function canWaitFor(signIn: SignInNeededWire): boolean {
  return signIn.inProgress !== undefined || signIn.app;
}

/** What a waiting command prints on stderr: what it waits for, and where the person acts. */
export function waitingNotice(signIn: SignInNeededWire, waitSeconds: number): string {
  const upTo = `waiting up to ${waitSeconds / 60} minutes`;
  const { session, inProgress } = signIn;
  const login = `"latchkey login --session ${session}"`;
  switch (inProgress?.by) {
    case 'command':
      return `latchkey: ${upTo} for the sign-in to ${session} in "${inProgress.command}" (pid ${inProgress.pid}); approve it there, or run ${login} in another terminal to see its code.\n`;
    case 'app':
      return `latchkey: ${upTo} for the sign-in to ${session} in the Latchkey window; finish it there.\n`;
    case 'unknown':
      return `latchkey: ${upTo} for the sign-in to ${session} in progress; run ${login} in another terminal to see its code.\n`;
    case undefined:
      return `latchkey: ${upTo} for you to sign in to ${session}: click the Latchkey notification or Sign in in the Latchkey window, or run ${login} in another terminal.\n`;
  }
}
