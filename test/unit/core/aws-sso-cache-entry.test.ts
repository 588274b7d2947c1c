import { describe, expect, it } from 'vitest';
import { awsCacheTime, formatAwsSsoCacheEntry, isImportable, parseAwsSsoCacheEntry } from '../../../main/core/aws-sso-cache-entry';

const ENTRY = {
  startUrl: 'https://corp.awsapps.com/start',
  region: 'eu-west-1',
  accessToken: 'at',
  expiresAtMs: Date.UTC(2026, 0, 1, 8, 0, 0, 999),
  clientId: 'cid',
  clientSecret: 'cs',
  registrationExpiresAtMs: Date.UTC(2026, 3, 1),
  refreshToken: 'rt',
};

describe('AWS CLI SSO cache entry', () => {
  it('writes exactly the AWS CLI keys, in its order, with %Y-%m-%dT%H:%M:%SZ times', () => {
    expect(formatAwsSsoCacheEntry(ENTRY)).toBe(
      '{"startUrl":"https://corp.awsapps.com/start","region":"eu-west-1","accessToken":"at","expiresAt":"2026-01-01T08:00:00Z",' +
        '"clientId":"cid","clientSecret":"cs","registrationExpiresAt":"2026-04-01T00:00:00Z","refreshToken":"rt"}',
    );
  });

  it('reads back what it writes (to the second)', () => {
    expect(parseAwsSsoCacheEntry(formatAwsSsoCacheEntry(ENTRY))).toEqual({ ...ENTRY, expiresAtMs: Date.UTC(2026, 0, 1, 8, 0, 0) });
  });

  it.each([
    ['z_suffix', '2026-01-01T08:00:00Z'],
    ['utc_suffix_of_old_cli', '2026-01-01T08:00:00UTC'],
    ['offset', '2026-01-01T08:00:00+00:00'],
  ])('reads expiresAt written as %s', (_n, expiresAt) => {
    expect(parseAwsSsoCacheEntry(JSON.stringify({ startUrl: 's', region: 'r', accessToken: 'a', expiresAt }))?.expiresAtMs).toBe(
      Date.UTC(2026, 0, 1, 8),
    );
  });

  it.each([['not json', '{'], ['no token', '{"startUrl":"s","region":"r","expiresAt":"2026-01-01T00:00:00Z"}'], ['array', '[]']])(
    'rejects %s',
    (_n, text) => {
      expect(parseAwsSsoCacheEntry(text)).toBeUndefined();
    },
  );

  it('formats whole seconds', () => {
    expect(awsCacheTime(Date.UTC(2026, 10, 28, 17, 42, 5, 600))).toBe('2026-11-28T17:42:05Z');
  });

  it.each([
    ['same_portal_time_left', 'https://corp.awsapps.com/start/#/', 'eu-west-1', 60, true],
    ['other_portal', 'https://other.awsapps.com/start', 'eu-west-1', 60, false],
    ['other_region', 'https://corp.awsapps.com/start', 'us-east-1', 60, false],
    ['too_little_time_left_but_refreshable', 'https://corp.awsapps.com/start', 'eu-west-1', 5, true],
    ['expired_but_refreshable', 'https://corp.awsapps.com/start', 'eu-west-1', -5, true],
  ])('isImportable: %s', (_n, startUrl, region, minutesLeft, expected) => {
    const now = Date.UTC(2026, 0, 1);
    const entry = { ...ENTRY, expiresAtMs: now + minutesLeft * 60_000 };
    expect(isImportable(entry, { startUrl, region }, now)).toBe(expected);
  });

  it.each([
    ['no_refresh_token', { refreshToken: undefined }],
    ['no_client', { clientId: undefined, clientSecret: undefined }],
    ['registration_expired', { registrationExpiresAtMs: Date.UTC(2025, 11, 31) }],
  ])('isImportable: too little time left and not refreshable (%s)', (_n, change) => {
    const now = Date.UTC(2026, 0, 1);
    expect(isImportable({ ...ENTRY, ...change, expiresAtMs: now + 5 * 60_000 }, ENTRY, now)).toBe(false);
  });
});
