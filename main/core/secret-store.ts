/**
 * The keychain seam: string secrets under string keys within one service. The real
 * implementation (main/store) splits large values and orders writes; core code only
 * sees whole values. `undefined` means no record.
 */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every key this store holds, for wiping a session. */
  keys(): Promise<string[]>;
}
