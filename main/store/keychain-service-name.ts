/** The keychain service Latchkey's records live under unless the environment names another. */
export const DEFAULT_KEYCHAIN_SERVICE = 'Latchkey';

/**
 * `LATCHKEY_KEYCHAIN_SERVICE` lets tests (and a second install) keep their records apart
 * from the user's real ones (docs/contract.md section 3). An empty value counts as unset, because
 * keytar rejects an empty service name.
 */
export function keychainServiceName(env: Readonly<Record<string, string | undefined>>): string {
  const named = env.LATCHKEY_KEYCHAIN_SERVICE;
  return named === undefined || named === '' ? DEFAULT_KEYCHAIN_SERVICE : named;
}
