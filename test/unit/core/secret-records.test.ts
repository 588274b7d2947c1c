import { describe, expect, it } from 'vitest';
import { decodeSecretRecord, encodeSecretRecord } from '../../../main/core/secret-records';
import type { StoredRegistration, StoredRoleCredentials, StoredTokens } from '../../../main/core/session-vault';

const registration: StoredRegistration = {
  clientId: 'client-1',
  clientSecret: 'client-secret-1',
  expiresAtMs: 1_900_000_000_000,
  scopes: ['sso:account:access'],
  grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
  redirectUris: ['http://127.0.0.1/oauth/callback'],
  region: 'eu-west-1',
  startUrl: 'https://example.awsapps.com/start',
};

const tokens: StoredTokens = {
  accessToken: 'access-1',
  accessTokenExpiresAtMs: 1_800_000_000_000,
  refreshToken: 'refresh-1',
  region: 'eu-west-1',
  startUrl: 'https://example.awsapps.com/start',
  clientId: 'client-1',
  obtainedAtMs: 1_799_996_400_000,
};

const role: StoredRoleCredentials = {
  accountId: '111111111111',
  roleName: 'Developer',
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'secret-key',
  sessionToken: 'session-token',
  expiresAtMs: 1_800_000_000_000,
};

function withoutOptional<T extends object>(record: T, field: keyof T): T {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== field)) as T;
}

describe('secret record codecs round trip', () => {
  it.each([
    ['a registration', () => roundTrip('registration', registration)],
    ['a registration without redirect URIs', () => roundTrip('registration', withoutOptional(registration, 'redirectUris'))],
    ['a token set', () => roundTrip('token', tokens)],
    ['a token set without a refresh token', () => roundTrip('token', withoutOptional(tokens, 'refreshToken'))],
    ['a role credential', () => roundTrip('role', role)],
    ['a role credential with the time it was obtained', () => roundTrip('role', { ...role, obtainedAtMs: 1_799_996_400_000 })],
  ])('%s', (_name, check) => {
    check();
  });

  function roundTrip<K extends 'registration' | 'token' | 'role'>(kind: K, record: Parameters<typeof encodeSecretRecord<K>>[1]): void {
    const text = encodeSecretRecord(kind, record);
    expect(JSON.parse(text)).toMatchObject({ v: 1, kind });
    expect(decodeSecretRecord(kind, text)).toEqual({ ok: true, record });
  }

  it('writes only the schema fields, whatever else the object carries', () => {
    const text = encodeSecretRecord('role', { ...role, extra: 'raw response' } as StoredRoleCredentials);
    expect(text).not.toContain('raw response');
  });

  it('drops unknown fields of a version 1 record when reading', () => {
    const text = JSON.stringify({ ...JSON.parse(encodeSecretRecord('role', role)), addedLater: true });
    expect(decodeSecretRecord('role', text)).toEqual({ ok: true, record: role });
  });

  it('refuses to write a record it could not read back', () => {
    expect(() => encodeSecretRecord('token', { ...tokens, accessTokenExpiresAtMs: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'record_corrupt' }),
    );
  });
});

describe('secret record decoding reports and never throws', () => {
  const valid = JSON.parse(encodeSecretRecord('token', tokens)) as Record<string, unknown>;

  it.each([
    ['a newer version', { ...valid, v: 2, accessToken: 42 }, 'newer_version'],
    ['not JSON', '{"v":1,', 'corrupt'],
    ['a JSON array', [], 'corrupt'],
    ['JSON null', null, 'corrupt'],
    ['no version', { ...valid, v: undefined }, 'corrupt'],
    ['version 0', { ...valid, v: 0 }, 'corrupt'],
    ['a version that is a string', { ...valid, v: '2' }, 'corrupt'],
    ['another kind', { ...valid, kind: 'role' }, 'corrupt'],
    ['a missing access token', { ...valid, accessToken: undefined }, 'corrupt'],
    ['an empty access token', { ...valid, accessToken: '' }, 'corrupt'],
    ['an expiry that is a string', { ...valid, accessTokenExpiresAtMs: '1800000000000' }, 'corrupt'],
    ['a fractional expiry', { ...valid, accessTokenExpiresAtMs: 1.5 }, 'corrupt'],
    ['a negative expiry', { ...valid, obtainedAtMs: -1 }, 'corrupt'],
    ['a refresh token that is null', { ...valid, refreshToken: null }, 'corrupt'],
  ])('%s reads as %s', (_name, value, reason) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    expect(decodeSecretRecord('token', text)).toMatchObject({ ok: false, reason });
  });

  it.each([
    ['scopes not an array', { scopes: 'sso:account:access' }],
    ['grant types holding a number', { grantTypes: ['refresh_token', 7] }],
    ['redirect URIs not an array', { redirectUris: 'http://127.0.0.1/' }],
  ])('a registration with %s is corrupt', (_name, change) => {
    const text = JSON.stringify({ ...JSON.parse(encodeSecretRecord('registration', registration)), ...change });
    expect(decodeSecretRecord('registration', text)).toMatchObject({ ok: false, reason: 'corrupt' });
  });

  it('names the field but never its value', () => {
    const text = JSON.stringify({ ...valid, accessTokenExpiresAtMs: 'secret-looking-value' });
    const result = decodeSecretRecord('token', text);
    expect(result).toMatchObject({ ok: false, detail: expect.stringContaining('accessTokenExpiresAtMs') });
    expect(JSON.stringify(result)).not.toContain('secret-looking-value');
  });
});
