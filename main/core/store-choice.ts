import { LatchkeyError } from './errors';

/**
 * `secret-service`: the OS keychain through keytar (on Linux a Secret Service such as
 * gnome-keyring; on macOS and Windows their own keychain, the only store there);
 * `kernel-keyring`: the Linux persistent keyring, for machines without a Secret Service.
 */
export type StoreName = 'secret-service' | 'kernel-keyring';

/** What the Secret Service said when asked at agent start; `absent`: nothing answered (no D-Bus session, or no service on it). */
export type SecretServiceState = 'unlocked' | 'locked' | 'absent';

export interface StoreChoice {
  name: StoreName;
  /** One clause for `latchkey status`: why this store. */
  reason: string;
}

export interface StoreChoiceContext {
  /** LATCHKEY_STORE as set; empty or unset means `auto`. */
  requested: string | undefined;
  platform: string;
  /** Asked only on Linux with `auto`: the caller passes a function so no other case pays for the probe. */
  secretService: () => Promise<SecretServiceState>;
}

export const STORE_SETTINGS = ['auto', 'secret-service', 'kernel-keyring'] as const;

/**
 * Which store the agent keeps secrets in. A locked Secret Service is still chosen: moving
 * a desktop user's sign-in to another store behind their back would hide a keyring that
 * will not open, so its calls fail saying how to unlock it or how to choose the other store.
 */
export async function chooseStore(context: StoreChoiceContext): Promise<StoreChoice> {
  const requested = (context.requested ?? '').trim() || 'auto';
  if (!(STORE_SETTINGS as readonly string[]).includes(requested)) {
    throw new LatchkeyError('usage_error', `LATCHKEY_STORE must be one of ${STORE_SETTINGS.join(', ')}; it is "${requested.slice(0, 40)}".`);
  }
  if (context.platform !== 'linux') {
    if (requested === 'kernel-keyring') throw new LatchkeyError('usage_error', 'LATCHKEY_STORE=kernel-keyring works on Linux only.');
    return { name: 'secret-service', reason: 'the system keychain of this platform' };
  }
  if (requested !== 'auto') return { name: requested as StoreName, reason: `chosen by LATCHKEY_STORE=${requested}` };
  switch (await context.secretService()) {
    case 'unlocked':
      return { name: 'secret-service', reason: 'a Secret Service answered and is unlocked' };
    case 'locked':
      return { name: 'secret-service', reason: 'a Secret Service answered but is locked: unlock it, or set LATCHKEY_STORE=kernel-keyring' };
    case 'absent':
      return { name: 'kernel-keyring', reason: 'no Secret Service on this machine' };
  }
}
