/**
 * The four keytar calls the store makes, so tests can pass an in-memory fake and the
 * native module is loaded only by a process that really touches the keychain.
 */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/**
 * Loads @github/keytar on first use. It is CommonJS and Node's named-export detection
 * finds only one of its functions, so the API is taken from the default export.
 */
export async function loadKeytarModule(): Promise<KeytarApi> {
  const loaded: { default?: KeytarApi } & Partial<KeytarApi> = await import('@github/keytar');
  return loaded.default ?? (loaded as KeytarApi);
}
