import type { SecretStore } from './secret-store';

/**
 * A store whose every call waits for `ready` first. The agent moves records between
 * stores only once it holds the socket (a second agent started beside a live one must
 * touch nothing), yet it must answer at once; requests that arrive meanwhile wait for the
 * move, typically milliseconds, instead of reading a store that is still being filled.
 */
export class GatedSecretStore implements SecretStore {
  constructor(
    private readonly inner: SecretStore,
    private readonly ready: Promise<unknown>,
  ) {}

  async get(key: string): Promise<string | undefined> {
    await this.ready;
    return this.inner.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    await this.ready;
    return this.inner.set(key, value);
  }

  async delete(key: string): Promise<void> {
    await this.ready;
    return this.inner.delete(key);
  }

  async keys(): Promise<string[]> {
    await this.ready;
    return this.inner.keys();
  }
}
