import { LatchkeyError } from './errors';
import { isJsonObject } from './json-object';
import type { SecretRecordKind } from './secret-records-keys';
import type { StoredRegistration, StoredRoleCredentials, StoredTokens } from './session-vault';

/**
 * The JSON each keychain record holds: `{"v":1,"kind":...,...fields}`. Decoding checks
 * every field, because the keychain outlives any one Latchkey version and can be edited
 * by hand: what does not fit reads as a typed failure that callers report and ignore.
 */
export const SECRET_RECORD_VERSION = 1;

export interface SecretRecordTypes {
  registration: StoredRegistration;
  token: StoredTokens;
  role: StoredRoleCredentials;
}

export type DecodedSecretRecord<T> =
  | { ok: true; record: T }
  /** `detail` names the problem (a field name at most), never a value. */
  | { ok: false; reason: 'newer_version' | 'corrupt'; detail: string };

type FieldType = 'string' | 'optional string' | 'epoch ms' | 'optional epoch ms' | 'strings' | 'optional strings';

type Schema<T> = { readonly [K in keyof Required<T>]: FieldType };

const SCHEMAS: { readonly [K in SecretRecordKind]: Schema<SecretRecordTypes[K]> } = {
  registration: {
    clientId: 'string',
    clientSecret: 'string',
    expiresAtMs: 'epoch ms',
    scopes: 'strings',
    grantTypes: 'strings',
    redirectUris: 'optional strings',
    region: 'string',
    startUrl: 'string',
  },
  token: {
    accessToken: 'string',
    accessTokenExpiresAtMs: 'epoch ms',
    refreshToken: 'optional string',
    region: 'string',
    startUrl: 'string',
    clientId: 'string',
    obtainedAtMs: 'epoch ms',
  },
  role: {
    accountId: 'string',
    roleName: 'string',
    accessKeyId: 'string',
    secretAccessKey: 'string',
    sessionToken: 'string',
    expiresAtMs: 'epoch ms',
    obtainedAtMs: 'optional epoch ms',
  },
};

/**
 * Only the schema's fields are written, so a caller's object that carries more (a raw
 * API response) never leaks extra data into the keychain. A record that would not decode
 * is refused here rather than stored and silently lost on the next read.
 */
export function encodeSecretRecord<K extends SecretRecordKind>(kind: K, record: SecretRecordTypes[K]): string {
  const fields = pickFields(SCHEMAS[kind], record as unknown as Record<string, unknown>);
  if (typeof fields === 'string') {
    throw new LatchkeyError('record_corrupt', `Refusing to store a ${kind} record: ${fields}.`);
  }
  return JSON.stringify({ v: SECRET_RECORD_VERSION, kind, ...fields });
}

export function decodeSecretRecord<K extends SecretRecordKind>(kind: K, text: string): DecodedSecretRecord<SecretRecordTypes[K]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'corrupt', detail: 'not JSON' };
  }
  if (!isJsonObject(parsed)) return { ok: false, reason: 'corrupt', detail: 'not a JSON object' };
  // Checked before anything else: a newer version may have changed every other field.
  if (typeof parsed.v === 'number' && Number.isInteger(parsed.v) && parsed.v > SECRET_RECORD_VERSION) {
    return { ok: false, reason: 'newer_version', detail: `version ${parsed.v}` };
  }
  if (parsed.v !== SECRET_RECORD_VERSION) return { ok: false, reason: 'corrupt', detail: 'field v is not a known version' };
  if (parsed.kind !== kind) return { ok: false, reason: 'corrupt', detail: `field kind is not ${kind}` };
  const fields = pickFields(SCHEMAS[kind], parsed);
  if (typeof fields === 'string') return { ok: false, reason: 'corrupt', detail: fields };
  return { ok: true, record: fields as unknown as SecretRecordTypes[K] };
}

/** The schema's fields of `source`, or what is wrong with the first field that does not fit. */
function pickFields(schema: Readonly<Record<string, FieldType>>, source: Record<string, unknown>): Record<string, unknown> | string {
  const picked: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(schema)) {
    const value = source[name];
    if (value === undefined && type.startsWith('optional')) continue;
    if (!fits(type, value)) return `field ${name} is not ${describe(type)}`;
    picked[name] = Array.isArray(value) ? [...value] : value;
  }
  return picked;
}

function fits(type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'string':
    case 'optional string':
      return typeof value === 'string' && value !== '';
    case 'epoch ms':
    case 'optional epoch ms':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
    case 'strings':
    case 'optional strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}

function describe(type: FieldType): string {
  if (type.endsWith('epoch ms')) return 'a non-negative integer (epoch milliseconds)';
  return type.endsWith('strings') ? 'an array of strings' : 'a non-empty string';
}
