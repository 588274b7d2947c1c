import { LatchkeyError } from '../core/errors';

/**
 * Turns what keytar throws into one clear LatchkeyError that says how to fix it on this
 * platform. keytar's messages come from libsecret, the macOS Security framework or
 * Windows and never carry the secret; only their first line is kept, as a hint.
 */

const DETAIL_MAX_CHARS = 160;

/** libsecret and D-Bus when no Secret Service answers at all. */
const UNAVAILABLE_PATTERNS = [
  /autolaunch D-Bus/i,
  /Could not connect/i,
  /org\.freedesktop\.secrets/i,
  /ServiceUnknown/i,
  /No such interface/i,
  /unsupported transport/i,
];

/**
 * GIO's G_IO_ERROR_CLOSED: the D-Bus session this process connected to has ended (its
 * `dbus-run-session`, SSH login or desktop session is gone), whether or not a keyring is
 * installed or unlocked. Seen with a real gnome-keyring by ending the bus under a running
 * process: every later call fails with exactly "The connection is closed".
 */
const BUS_CLOSED_PATTERNS = [/The connection is closed/i];

/**
 * A keychain that exists but will not open: a locked collection, a default collection
 * that could not be created because no unlock prompt can be shown (gnome-keyring without
 * a display), a macOS keychain that may not prompt, or a dismissed prompt.
 */
const LOCKED_PATTERNS = [
  /locked/i,
  /Object does not exist at path .*\/collection\//i,
  /interaction is not allowed/i,
  /passphrase you entered is not correct/i,
  /cancel/i,
  /prompt/i,
];

function unavailableFix(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'make sure the login keychain exists and is unlocked (Keychain Access, or `security unlock-keychain`)';
    case 'win32':
      return 'make sure Windows Credential Manager is available to your user account';
    default:
      return 'install gnome-keyring (or another Secret Service such as KeePassXC) and run Latchkey inside a D-Bus session with the keyring unlocked, e.g. under `dbus-run-session`';
  }
}

function busClosedFix(platform: NodeJS.Platform): string {
  return platform === 'linux'
    ? 'the D-Bus session this Latchkey was started in has ended; restart it (quit the app, or stop "latchkey agent" and let the next command start one) from a session that has a D-Bus bus, such as your desktop session'
    : 'restart Latchkey';
}

function lockedFix(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'unlock the login keychain (Keychain Access, or `security unlock-keychain`) and allow Latchkey to use it';
    case 'win32':
      return 'sign in to Windows again so Credential Manager opens, then retry';
    default:
      return 'unlock the login keyring (sign in to the desktop, or run `gnome-keyring-daemon --unlock` in this D-Bus session) and retry, or start Latchkey with LATCHKEY_STORE=kernel-keyring to keep sign-ins in the kernel keyring instead';
  }
}

function refusedFix(platform: NodeJS.Platform): string {
  return platform === 'linux'
    ? 'check that the login keyring is unlocked (`gnome-keyring-daemon --unlock` in this D-Bus session) and that a Secret Service such as gnome-keyring runs, then retry'
    : `${lockedFix(platform)}; if that does not help, ${unavailableFix(platform)}`;
}

function nativeDetail(cause: unknown): string {
  const raw = cause instanceof Error ? cause.message : String(cause);
  const firstLine = raw.split('\n', 1)[0] ?? '';
  return firstLine.length > DETAIL_MAX_CHARS ? `${firstLine.slice(0, DETAIL_MAX_CHARS)}...` : firstLine;
}

/** Any error a keytar call rejected with. */
export function keychainCallError(cause: unknown, platform: NodeJS.Platform): LatchkeyError {
  const detail = nativeDetail(cause);
  if (UNAVAILABLE_PATTERNS.some((pattern) => pattern.test(detail))) {
    return new LatchkeyError(
      'keychain_unavailable',
      `No keychain service answered (${detail}): ${unavailableFix(platform)}.`,
      { cause },
    );
  }
  if (BUS_CLOSED_PATTERNS.some((pattern) => pattern.test(detail))) {
    return new LatchkeyError('keychain_unavailable', `The connection to the keychain was closed (${detail}): ${busClosedFix(platform)}.`, { cause });
  }
  if (LOCKED_PATTERNS.some((pattern) => pattern.test(detail))) {
    return new LatchkeyError('keychain_locked', `The keychain is locked (${detail}): ${lockedFix(platform)}.`, {
      cause,
      retryable: true,
    });
  }
  // Neither missing nor locked as far as the message says: advising an install here would be
  // wrong for the many who have one, so the fix names both checks.
  return new LatchkeyError('keychain_unavailable', `The keychain refused the request (${detail}): ${refusedFix(platform)}.`, {
    cause,
  });
}

/**
 * The Secret Service said the login keyring is locked (secret-service-lock.ts), before
 * keytar was asked: keytar would have read nothing (or crashed), never said why.
 */
export function keyringLockedError(): LatchkeyError {
  return new LatchkeyError(
    'keychain_locked',
    'The login keyring is locked: unlock it (Passwords and Keys, or `gnome-keyring-daemon --unlock`) and run the command again, or keep sign-ins in the kernel keyring instead by starting Latchkey with LATCHKEY_STORE=kernel-keyring.',
    { retryable: true },
  );
}

/** The native module did not load: missing libsecret, wrong architecture, damaged install. */
export function keychainLoadError(cause: unknown, platform: NodeJS.Platform): LatchkeyError {
  const libraryFix = platform === 'linux' ? 'install libsecret-1-0 and reinstall Latchkey' : 'reinstall Latchkey';
  return new LatchkeyError(
    'keychain_unavailable',
    `Latchkey's keychain module could not be loaded (${nativeDetail(cause)}): ${libraryFix}.`,
    { cause },
  );
}

/** A call that did not settle in time, most likely waiting on an unlock prompt nobody sees. */
export function keychainTimeoutError(timeoutMs: number, platform: NodeJS.Platform): LatchkeyError {
  return new LatchkeyError(
    'keychain_locked',
    `The keychain did not answer within ${timeoutMs} ms, most likely because it is locked and waiting for an unlock prompt: ${lockedFix(platform)}.`,
    { retryable: true },
  );
}

/** An earlier call still hangs inside the native module; a new one would hang beside it. */
export function keychainStillBlockedError(platform: NodeJS.Platform): LatchkeyError {
  return new LatchkeyError(
    'keychain_locked',
    `An earlier keychain request is still waiting, most likely on an unlock prompt: ${lockedFix(platform)}.`,
    { retryable: true },
  );
}
