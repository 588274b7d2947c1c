import { describe, expect, it } from 'vitest';
import type { AwsSsoCacheEntry } from '../../../main/core/aws-sso-cache-entry';
import { NO_CLIENT_ID, signInFromAwsSsoCache } from '../../../main/core/aws-sso-cache-import';

const NOW = Date.UTC(2026, 0, 1, 8, 0, 0);
const HOUR = 3600_000;
const SESSION = {
  name: 'corp',
  startUrl: 'https://corp.awsapps.com/start',
  region: 'eu-west-1',
  registrationScopes: ['sso:account:access'],
};
const FULL: AwsSsoCacheEntry = {
  startUrl: 'https://corp.awsapps.com/start/',
  region: 'eu-west-1',
  accessToken: 'at',
  expiresAtMs: NOW + HOUR,
  clientId: 'cid',
  clientSecret: 'cs',
  registrationExpiresAtMs: NOW + 90 * 24 * HOUR,
  refreshToken: 'rt',
};

describe('importing an AWS CLI sign-in', () => {
  it('maps a full entry to tokens and a registration that can refresh them', () => {
    expect(signInFromAwsSsoCache(FULL, SESSION, NOW)).toEqual({
      tokens: {
        accessToken: 'at',
        accessTokenExpiresAtMs: NOW + HOUR,
        refreshToken: 'rt',
        region: 'eu-west-1',
        // The session's spelling, not the file's trailing slash.
        startUrl: 'https://corp.awsapps.com/start',
        clientId: 'cid',
        obtainedAtMs: NOW,
      },
      registration: {
        clientId: 'cid',
        clientSecret: 'cs',
        expiresAtMs: NOW + 90 * 24 * HOUR,
        scopes: ['sso:account:access'],
        // No flow grant is claimed, so Latchkey registers its own client for its next sign-in.
        grantTypes: ['refresh_token'],
        region: 'eu-west-1',
        startUrl: 'https://corp.awsapps.com/start',
      },
    });
  });

  it.each([
    ['no_registration', { clientId: undefined, clientSecret: undefined, registrationExpiresAtMs: undefined, refreshToken: undefined }],
    ['registration_without_expiry', { registrationExpiresAtMs: undefined }],
    ['registration_expired', { registrationExpiresAtMs: NOW - 1 }],
  ])('%s: imports the access token alone, never refreshed', (_name, change) => {
    const imported = signInFromAwsSsoCache({ ...FULL, ...change }, SESSION, NOW);
    expect(imported?.registration).toBeUndefined();
    expect(imported?.tokens).toMatchObject({ accessToken: 'at', clientId: NO_CLIENT_ID });
    expect(imported?.tokens.refreshToken).toBeUndefined();
  });

  const NOT_REFRESHABLE = { refreshToken: undefined };
  it.each([
    ['other_portal', { startUrl: 'https://other.awsapps.com/start' }],
    ['other_region', { region: 'us-east-1' }],
    ['expired_without_refresh_token', { ...NOT_REFRESHABLE, expiresAtMs: NOW - 1 }],
    ['inside_the_refresh_window_without_refresh_token', { ...NOT_REFRESHABLE, expiresAtMs: NOW + 5 * 60_000 }],
    ['expired_with_an_expired_registration', { registrationExpiresAtMs: NOW - 1, expiresAtMs: NOW - 1 }],
  ])('%s: imports nothing', (_name, change) => {
    expect(signInFromAwsSsoCache({ ...FULL, ...change }, SESSION, NOW)).toBeUndefined();
  });

  it.each([
    ['expired', { expiresAtMs: NOW - 1 }],
    ['inside_the_refresh_window', { expiresAtMs: NOW + 5 * 60_000 }],
  ])('%s but refreshable: imports the sign-in with its refresh token, so a refresh renews it without a second sign-in', (_name, change) => {
    const imported = signInFromAwsSsoCache({ ...FULL, ...change }, SESSION, NOW);
    expect(imported?.tokens).toMatchObject({ accessToken: 'at', refreshToken: FULL.refreshToken, accessTokenExpiresAtMs: change.expiresAtMs });
    expect(imported?.registration?.clientId).toBe(FULL.clientId);
  });

  it('copies the scopes, so the session config and the record do not share an array', () => {
    const imported = signInFromAwsSsoCache(FULL, SESSION, NOW);
    expect(imported?.registration?.scopes).not.toBe(SESSION.registrationScopes);
  });
});
