import { LatchkeyError } from '../core/errors';
import type { SecretStore } from '../core/secret-store';
import { assertStorableKey } from '../core/secret-records-keys';
import { KEYCHAIN_CALL_TIMEOUT_MS } from '../core/time-windows';
import { execKeyctl, type Keyctl } from './keyctl';

export interface KernelKeyringStoreOptions {
  /** The keychain service; the composition root passes keychainServiceName(process.env). */
  service: string;
  /** Tests pass a fake; the default runs /usr/bin/keyctl. */
  keyctl?: Keyctl;
  /** The uid whose keys are ours; defaults to process.getuid(). */
  uid?: number;
}

/** The kernel refuses a `user` key payload above 32767 bytes (security/keys/user_defined.c). */
export const USER_KEY_MAX_PAYLOAD_BYTES = 32_767;

/**
 * Every payload starts with this, because the kernel refuses an empty payload and the
 * SecretStore contract allows an empty value; a key without it was not written by us.
 */
const PAYLOAD_PREFIX = 'latchkey1\n';

/**
 * Possessor: all; user: view, read, write, search; group and other: nothing. Possession
 * covers this user's processes whose session keyring reaches the user keyring; the user
 * bits let an agent started outside such a session (a systemd unit) read its own records.
 */
const KEY_PERMISSIONS = '0x3f0f0000';

const KEY_ID = /^[1-9][0-9]{0,9}$/;

/**
 * SecretStore in the Linux persistent keyring (`keyctl get_persistent @u`): kernel memory
 * that belongs to this uid, is never written to disk, outlives the login session for
 * /proc/sys/kernel/keys/persistent_keyring_expiry seconds (3 days by default, counted from
 * the last use) and is gone at reboot. Each value is one `user` key named
 * `latchkey:<service>:<key>`; the kernel replaces a key's payload in one step, so a reader
 * sees the old value or the new one. Operations run one at a time.
 */
export class KernelKeyringStore implements SecretStore {
  private readonly prefix: string;
  private readonly keyctl: Keyctl;
  private readonly uid: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: KernelKeyringStoreOptions) {
    if (options.service === '') throw new LatchkeyError('usage_error', 'The keychain service name must not be empty.');
    this.prefix = `latchkey:${options.service}:`;
    this.keyctl = options.keyctl ?? execKeyctl(KEYCHAIN_CALL_TIMEOUT_MS);
    this.uid = options.uid ?? process.getuid?.();
  }

  get(key: string): Promise<string | undefined> {
    assertStorableKey(key);
    return this.serially(async () => {
      const id = await this.find(await this.keyring(), key);
      if (id === undefined) return undefined;
      const read = await this.keyctl(['pipe', id]);
      // Unlinked by another process between the search and the read.
      if (read.missingKey) return undefined;
      return decodePayload(read.stdout);
    });
  }

  set(key: string, value: string): Promise<void> {
    assertStorableKey(key);
    return this.serially(async () => {
      // Records are a few KB (secret-records.ts); the limit is checked rather than chunked around.
      const payload = Buffer.from(PAYLOAD_PREFIX + value, 'utf8');
      if (payload.length > USER_KEY_MAX_PAYLOAD_BYTES) {
        throw new LatchkeyError('usage_error', `A kernel keyring value may take at most ${USER_KEY_MAX_PAYLOAD_BYTES} bytes; this one needs ${payload.length}.`);
      }
      const added = await this.keyctl(['padd', 'user', this.prefix + key, await this.keyring()], payload);
      const id = keyId(added.stdout);
      // A new key is born readable by its possessor alone (0x3f010000: the user may only view it), so nothing leaks before this.
      await this.keyctl(['setperm', id, KEY_PERMISSIONS]);
    });
  }

  delete(key: string): Promise<void> {
    assertStorableKey(key);
    return this.serially(async () => {
      const id = await this.find(await this.keyring(), key);
      // Invalidated rather than only unlinked: the payload leaves kernel memory at once, even if linked elsewhere.
      if (id !== undefined) await this.keyctl(['invalidate', id]);
    });
  }

  keys(): Promise<string[]> {
    return this.serially(async () => {
      const listed = await this.keyctl(['rlist', await this.keyring()]);
      const keys: string[] = [];
      for (const id of listed.stdout.toString('utf8').trim().split(/\s+/).filter((part) => part !== '')) {
        if (!KEY_ID.test(id)) throw unexpectedOutput('rlist');
        const described = await this.keyctl(['rdescribe', id]);
        if (described.missingKey) continue;
        const key = this.ownKey(described.stdout.toString('utf8').trim());
        if (key !== undefined) keys.push(key);
      }
      return keys.sort();
    });
  }

  /**
   * Asked on every operation: `get_persistent` also restarts the keyring's expiry timer, so
   * an agent that runs for weeks never finds its keyring expired under it.
   */
  private async keyring(): Promise<string> {
    return keyId((await this.keyctl(['get_persistent', '@u'])).stdout);
  }

  private async find(keyring: string, key: string): Promise<string | undefined> {
    const found = await this.keyctl(['search', keyring, 'user', this.prefix + key]);
    return found.missingKey ? undefined : keyId(found.stdout);
  }

  /** `rdescribe` prints `type;uid;gid;perm;description`; only our uid's user keys under our prefix count. */
  private ownKey(description: string): string | undefined {
    const [type, uid, , , ...rest] = description.split(';');
    const name = rest.join(';');
    if (type !== 'user' || uid !== String(this.uid) || !name.startsWith(this.prefix)) return undefined;
    const key = name.slice(this.prefix.length);
    return key === '' || key.includes('#') ? undefined : key;
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function keyId(stdout: Buffer): string {
  const id = stdout.toString('utf8').trim();
  if (!KEY_ID.test(id)) throw unexpectedOutput('a key id');
  return id;
}

/** A key of ours holds the prefix and valid UTF-8; anything else reads as no record, as in the keytar store. */
function decodePayload(payload: Buffer): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    return undefined;
  }
  return text.startsWith(PAYLOAD_PREFIX) ? text.slice(PAYLOAD_PREFIX.length) : undefined;
}

function unexpectedOutput(what: string): LatchkeyError {
  return new LatchkeyError('keychain_unavailable', `keyctl printed something other than ${what}; is /usr/bin/keyctl the one from keyutils?`);
}
