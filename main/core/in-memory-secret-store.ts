import type { SecretStore } from './secret-store';
import { assertStorableKey } from './secret-records-keys';

/**
 * SecretStore in a Map, for core tests and for callers that must not touch the keychain.
 * It enforces the same key rule as the keychain store, so a test catches a key the
 * keychain would refuse.
 */
export class InMemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [key, value] of Object.entries(initial)) {
      assertStorableKey(key);
      this.values.set(key, value);
    }
  }

  async get(key: string): Promise<string | undefined> {
    assertStorableKey(key);
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    assertStorableKey(key);
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    assertStorableKey(key);
    this.values.delete(key);
  }

  async keys(): Promise<string[]> {
    return [...this.values.keys()].sort();
  }
}
