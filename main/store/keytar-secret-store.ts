import { LatchkeyError } from '../core/errors';
import type { SecretStore } from '../core/secret-store';
import { assertStorableKey } from '../core/secret-records-keys';
import { KEYCHAIN_CALL_TIMEOUT_MS } from '../core/time-windows';
import { KeychainCaller } from './keychain-caller';
import { keychainLoadError, keyringLockedError } from './keychain-errors';
import {
  chunkAccountName,
  contentHash,
  fitsInline,
  headBlob,
  inlineBlob,
  isChunkAccount,
  MAX_CHUNKS,
  newGeneration,
  parseChunkAccount,
  parseStoredBlob,
  splitIntoChunks,
  type ChunkHead,
} from './keychain-blob-format';
import { loadKeytarModule, type KeytarApi } from './keytar-api';
import { dbusSendLockProbe, type KeyringLockProbe } from './secret-service-lock';

export interface KeytarSecretStoreOptions {
  /** The keychain service; the composition root passes keychainServiceName(process.env). */
  service: string;
  /** Tests pass a fake. The default imports @github/keytar on first use, so a process that never touches the keychain never loads the native module. */
  loadKeytar?: () => KeytarApi | Promise<KeytarApi>;
  /** Defaults to KEYCHAIN_CALL_TIMEOUT_MS; the desktop app may pass KEYCHAIN_INTERACTIVE_CALL_TIMEOUT_MS. */
  callTimeoutMs?: number;
  /** Chooses the fix the error messages suggest; defaults to process.platform. */
  platform?: NodeJS.Platform;
  /**
   * Tells a locked keyring before keytar is asked. Default: on Linux with the real keytar,
   * the Secret Service over D-Bus (secret-service-lock.ts); elsewhere none, since macOS and
   * Windows report a locked keychain through keytar itself.
   */
  lockProbe?: KeyringLockProbe;
}

/**
 * A value is read at most this many times when its chunks do not match its head: a
 * second look tells a write by another process that replaced them (the head changed) from
 * damage (it did not).
 */
const READ_ATTEMPTS = 2;

/**
 * SecretStore over the OS keychain through keytar (docs/contract.md section 6). Values too large
 * for one Windows Credential Manager blob are chunked (keychain-blob-format.ts) on every
 * platform. Writes are ordered so that a crash at any point leaves the old value or the
 * new one readable, never a mix: new chunks go under a fresh generation, then the head
 * that names them replaces the old head in one keychain write, then the old chunks go.
 * Operations run one at a time, so this process never races itself.
 */
export class KeytarSecretStore implements SecretStore {
  private readonly service: string;
  private readonly platform: NodeJS.Platform;
  private readonly caller: KeychainCaller;
  private readonly loadKeytar: () => KeytarApi | Promise<KeytarApi>;
  private keytar: KeytarApi | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lockProbe: KeyringLockProbe | undefined;
  /**
   * The probe said the keyring is open, and nothing since suggested otherwise: until a call
   * fails or reads nothing, keytar is called without asking again, so a credential_process
   * answered from the keychain costs no child process.
   */
  private knownUnlocked = false;

  constructor(options: KeytarSecretStoreOptions) {
    if (options.service === '') throw new LatchkeyError('usage_error', 'The keychain service name must not be empty.');
    this.service = options.service;
    this.platform = options.platform ?? process.platform;
    this.loadKeytar = options.loadKeytar ?? loadKeytarModule;
    this.caller = new KeychainCaller({ timeoutMs: options.callTimeoutMs ?? KEYCHAIN_CALL_TIMEOUT_MS, platform: this.platform });
    this.lockProbe = options.lockProbe ?? (this.platform === 'linux' && options.loadKeytar === undefined ? dbusSendLockProbe() : undefined);
  }

  get(key: string): Promise<string | undefined> {
    assertStorableKey(key);
    return this.serially(() => this.read(key));
  }

  set(key: string, value: string): Promise<void> {
    assertStorableKey(key);
    return this.serially(() => this.write(key, value));
  }

  delete(key: string): Promise<void> {
    assertStorableKey(key);
    return this.serially(() => this.remove(key));
  }

  /**
   * Logical keys only. A key whose head is gone but whose chunks remain (a crash during a
   * delete) is listed too, so that wiping a session by its keys also removes those.
   */
  keys(): Promise<string[]> {
    return this.serially(async () => {
      const keys = new Set<string>();
      for (const account of await this.accounts()) {
        if (!isChunkAccount(account)) keys.add(account);
        else {
          const chunk = parseChunkAccount(account);
          if (chunk) keys.add(chunk.key);
        }
      }
      return [...keys].sort();
    });
  }

  private async read(key: string): Promise<string | undefined> {
    let previousHead: string | undefined;
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt += 1) {
      const stored = await this.call((keytar) => keytar.getPassword(this.service, key));
      if (stored === null) {
        // A locked keyring also answers null: nothing stored, or locked since the last look?
        await this.assertUnlocked(true);
        return undefined;
      }
      if (stored === previousHead) return undefined;
      const blob = parseStoredBlob(stored);
      if (blob.kind === 'inline') return blob.value;
      if (blob.kind === 'foreign') return undefined;
      const joined = await this.readChunks(key, blob.head);
      if (joined !== undefined) return joined;
      previousHead = stored;
    }
    return undefined;
  }

  private async readChunks(key: string, head: ChunkHead): Promise<string | undefined> {
    let joined = '';
    for (let index = 1; index <= head.chunks; index += 1) {
      const account = chunkAccountName(key, head.generation, index);
      const chunk = await this.call((keytar) => keytar.getPassword(this.service, account));
      if (chunk === null) return undefined;
      joined += chunk;
    }
    return contentHash(joined) === head.sha256 ? joined : undefined;
  }

  private async write(key: string, value: string): Promise<void> {
    if (fitsInline(value)) {
      await this.call((keytar) => keytar.setPassword(this.service, key, inlineBlob(value)));
      await this.removeChunks(key, undefined);
      return;
    }
    const chunks = splitIntoChunks(value);
    if (chunks.length > MAX_CHUNKS) {
      throw new LatchkeyError('usage_error', `A keychain value may take at most ${MAX_CHUNKS} chunks; this one needs ${chunks.length}.`);
    }
    const head: ChunkHead = { generation: newGeneration(), chunks: chunks.length, sha256: contentHash(value) };
    for (const [offset, chunk] of chunks.entries()) {
      const account = chunkAccountName(key, head.generation, offset + 1);
      await this.call((keytar) => keytar.setPassword(this.service, account, chunk));
    }
    // The commit point: until this write lands, the old head still names the old chunks.
    await this.call((keytar) => keytar.setPassword(this.service, key, headBlob(head)));
    await this.removeChunks(key, head.generation);
  }

  /** The head goes first, so the value vanishes in one step; the chunks are then unreachable. */
  private async remove(key: string): Promise<void> {
    await this.call((keytar) => keytar.deletePassword(this.service, key));
    await this.removeChunks(key, undefined);
  }

  /**
   * Deletes every chunk of `key` except the generation its head names: the previous
   * value's, and any left behind by a write or delete that crashed half way. They hold
   * pieces of old secrets, so a failure here is reported, not ignored.
   */
  private async removeChunks(key: string, keepGeneration: string | undefined): Promise<void> {
    for (const account of await this.accounts()) {
      const chunk = parseChunkAccount(account);
      if (chunk?.key !== key || chunk.generation === keepGeneration) continue;
      await this.call((keytar) => keytar.deletePassword(this.service, account));
    }
  }

  /**
   * Every account under the service. On Windows keytar matches the service as a prefix
   * ("Latchkey*"), so accounts of a service whose name extends ours show up here too and
   * keys() may list them; reads and deletes always name our service exactly, so such
   * strays read as absent and are never removed by mistake.
   */
  private async accounts(): Promise<string[]> {
    // libsecret crashes the whole process in findCredentials on a locked keyring: always ask first.
    await this.assertUnlocked(true);
    const credentials = await this.call((keytar) => keytar.findCredentials(this.service));
    return credentials.map((credential) => credential.account);
  }

  private async call<T>(run: (keytar: KeytarApi) => Promise<T>): Promise<T> {
    await this.assertUnlocked(false);
    const keytar = await this.loadedKeytar();
    try {
      return await this.caller.call(() => run(keytar));
    } catch (error) {
      // A keyring locked since the probe fails calls in its own words; look again next time.
      this.knownUnlocked = false;
      throw error;
    }
  }

  /** Throws keyringLockedError when the probe says locked; `fresh` asks even when it said open before. */
  private async assertUnlocked(fresh: boolean): Promise<void> {
    if (this.lockProbe === undefined || (this.knownUnlocked && !fresh)) return;
    const state = await this.lockProbe();
    this.knownUnlocked = state !== 'locked';
    if (state === 'locked') throw keyringLockedError();
  }

  private async loadedKeytar(): Promise<KeytarApi> {
    if (this.keytar) return this.keytar;
    try {
      this.keytar = await this.loadKeytar();
    } catch (error) {
      throw keychainLoadError(error, this.platform);
    }
    return this.keytar;
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
