import { LatchkeyError } from './errors';

/**
 * Where each keychain record lives: `registration:<session>`, `token:<session>` and
 * `role:<session>:<accountId>:<roleName>`, every part percent-encoded so that no session
 * name (they may hold any character, ':' included) makes two records share a key.
 */
export type SecretRecordRef =
  | { kind: 'registration'; session: string }
  | { kind: 'token'; session: string }
  | { kind: 'role'; session: string; accountId: string; roleName: string };

export type SecretRecordKind = SecretRecordRef['kind'];

const SEPARATOR = ':';

/**
 * The rule every SecretStore key follows, checked by both stores so core tests catch what
 * the keychain would refuse: keytar rejects an empty account name, and the keychain store
 * names chunk records `<key>#...`, so '#' is reserved. Record keys never contain it.
 */
export function assertStorableKey(key: string): void {
  if (key === '' || key.includes('#')) {
    throw new LatchkeyError('usage_error', 'A keychain key must be non-empty and must not contain "#".');
  }
}

export function secretRecordKey(ref: SecretRecordRef): string {
  const parts: string[] =
    ref.kind === 'role' ? [ref.kind, ref.session, ref.accountId, ref.roleName] : [ref.kind, ref.session];
  return parts.map((part, index) => (index === 0 ? part : encodePart(part))).join(SEPARATOR);
}

/** `undefined` for a key that is not one of ours, including a non-canonical spelling of one. */
export function parseSecretRecordKey(key: string): SecretRecordRef | undefined {
  const [kind, ...encoded] = key.split(SEPARATOR);
  const parts = encoded.map(decodePart);
  if (parts.some((part) => part === undefined)) return undefined;
  const [session, accountId, roleName] = parts as string[];
  let ref: SecretRecordRef | undefined;
  if ((kind === 'registration' || kind === 'token') && parts.length === 1 && session !== undefined) {
    ref = { kind, session };
  } else if (kind === 'role' && parts.length === 3 && session !== undefined && accountId !== undefined && roleName !== undefined) {
    ref = { kind, session, accountId, roleName };
  }
  // "a%41" and "aA" decode alike; only the spelling secretRecordKey writes counts.
  return ref !== undefined && secretRecordKey(ref) === key ? ref : undefined;
}

/** Lone UTF-16 surrogates cannot be encoded; no config file can produce them. */
function encodePart(part: string): string {
  try {
    return encodeURIComponent(part);
  } catch (error) {
    throw new LatchkeyError('usage_error', 'A session name, account ID or role name is not valid Unicode.', { cause: error });
  }
}

function decodePart(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}
