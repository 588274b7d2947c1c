import { execFile } from 'node:child_process';
import { SECRET_SERVICE_PROBE_TIMEOUT_MS } from '../core/time-windows';

/** What the Secret Service says of the default collection; `unknown` when it could not be asked (no service, no bus, no dbus-send). */
export type KeyringLockState = 'locked' | 'unlocked' | 'unknown';

export type KeyringLockProbe = () => Promise<KeyringLockState>;

/**
 * Asks the Secret Service over D-Bus whether the default collection (the login keyring)
 * is locked, with Debian's `dbus-send`. Why before keytar: with a locked gnome-keyring,
 * keytar's getPassword answers null, which reads as "signed out", and findCredentials
 * crashes the process inside libsecret; neither says "locked". A child process, not a
 * D-Bus library: it costs a few milliseconds, and only when the store asks (keytar-secret-store.ts).
 */
export function dbusSendLockProbe(env: NodeJS.ProcessEnv = process.env): KeyringLockProbe {
  return () =>
    new Promise((resolve) => {
      execFile(
        'dbus-send',
        [
          '--session',
          '--print-reply',
          '--dest=org.freedesktop.secrets',
          '/org/freedesktop/secrets/aliases/default',
          'org.freedesktop.DBus.Properties.Get',
          'string:org.freedesktop.Secret.Collection',
          'string:Locked',
        ],
        { env, timeout: SECRET_SERVICE_PROBE_TIMEOUT_MS, windowsHide: true },
        (error, stdout) => resolve(error === null ? parseLockedReply(stdout) : 'unknown'),
      );
    });
}

/** `dbus-send --print-reply` prints the property as `variant       boolean true`. */
export function parseLockedReply(stdout: string): KeyringLockState {
  const match = /^\s*variant\s+boolean\s+(true|false)\s*$/m.exec(stdout);
  if (match === null) return 'unknown';
  return match[1] === 'true' ? 'locked' : 'unlocked';
}
