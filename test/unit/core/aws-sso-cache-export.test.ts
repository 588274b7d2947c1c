import { describe, expect, it } from 'vitest';
import { formatAwsSsoCacheEntry } from '../../../main/core/aws-sso-cache-entry';
import { awsSsoCacheEntryFor } from '../../../main/core/aws-sso-cache-export';
import type { StoredRegistration, StoredTokens } from '../../../main/core/session-vault';

const NOW = Date.UTC(2026, 0, 1, 8, 0, 0);
const HOUR = 3600_000;
const SESSION = { name: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', registrationScopes: ['sso:account:access'] };
const TOKENS: StoredTokens = {
  accessToken: 'at',
  accessTokenExpiresAtMs: NOW + HOUR,
  refreshToken: 'rt',
  region: 'eu-west-1',
  startUrl: 'https://corp.awsapps.com/start',
  clientId: 'cid',
  obtainedAtMs: NOW,
};
const REGISTRATION: StoredRegistration = {
  clientId: 'cid',
  clientSecret: 'cs',
  expiresAtMs: Date.UTC(2026, 3, 1),
  scopes: ['sso:account:access'],
  grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
  region: 'eu-west-1',
  startUrl: 'https://corp.awsapps.com/start',
};

describe('exporting a session to the AWS CLI SSO cache', () => {
  it('writes the token with the registration and refresh token that belong to it', () => {
    const entry = awsSsoCacheEntryFor(SESSION, TOKENS, REGISTRATION, NOW);
    expect(entry && formatAwsSsoCacheEntry(entry)).toBe(
      '{"startUrl":"https://corp.awsapps.com/start","region":"eu-west-1","accessToken":"at","expiresAt":"2026-01-01T09:00:00Z",' +
        '"clientId":"cid","clientSecret":"cs","registrationExpiresAt":"2026-04-01T00:00:00Z","refreshToken":"rt"}',
    );
  });

  it.each([
    ['no_registration', undefined],
    ['registration_of_another_client', { ...REGISTRATION, clientId: 'other' }],
    ['registration_expired', { ...REGISTRATION, expiresAtMs: NOW }],
  ])('%s: writes the access token alone', (_name, registration) => {
    expect(awsSsoCacheEntryFor(SESSION, TOKENS, registration, NOW)).toEqual({
      startUrl: SESSION.startUrl,
      region: SESSION.region,
      accessToken: 'at',
      expiresAtMs: NOW + HOUR,
    });
  });

  it.each([
    ['config_now_names_another_portal', { ...SESSION, startUrl: 'https://other.awsapps.com/start' }, TOKENS],
    ['config_now_names_another_region', { ...SESSION, region: 'us-east-1' }, TOKENS],
    ['token_expired', SESSION, { ...TOKENS, accessTokenExpiresAtMs: NOW }],
  ])('%s: writes nothing', (_name, session, tokens) => {
    expect(awsSsoCacheEntryFor(session, tokens, REGISTRATION, NOW)).toBeUndefined();
  });
});
