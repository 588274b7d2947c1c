import { describe, expect, it } from 'vitest';
import { isLatchkeyError } from '../../../main/core/errors';
import { resolveOidcEndpoint, resolvePortalEndpoint } from '../../../main/aws/endpoints';
import type { Environment } from '../../../main/aws/environment';

describe('endpoint resolution', () => {
  it.each<[string, string, Environment, boolean, string, string]>([
    ['commercial_region', 'us-east-1', {}, false, 'https://oidc.us-east-1.amazonaws.com', 'https://portal.sso.us-east-1.amazonaws.com'],
    ['another_commercial_region', 'eu-central-2', {}, false, 'https://oidc.eu-central-2.amazonaws.com', 'https://portal.sso.eu-central-2.amazonaws.com'],
    ['china_uses_com_cn', 'cn-north-1', {}, false, 'https://oidc.cn-north-1.amazonaws.com.cn', 'https://portal.sso.cn-north-1.amazonaws.com.cn'],
    ['govcloud_stays_on_amazonaws_com', 'us-gov-west-1', {}, false, 'https://oidc.us-gov-west-1.amazonaws.com', 'https://portal.sso.us-gov-west-1.amazonaws.com'],
    ['iso_b_partition_suffix', 'us-isob-east-1', {}, false, 'https://oidc.us-isob-east-1.sc2s.sgov.gov', 'https://portal.sso.us-isob-east-1.sc2s.sgov.gov'],
    ['fips_by_option', 'us-east-1', {}, true, 'https://oidc-fips.us-east-1.amazonaws.com', 'https://portal.sso-fips.us-east-1.amazonaws.com'],
    ['fips_by_variable', 'us-gov-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }, false, 'https://oidc-fips.us-gov-east-1.amazonaws.com', 'https://portal.sso-fips.us-gov-east-1.amazonaws.com'],
    ['fips_variable_false_is_off', 'us-east-1', { AWS_USE_FIPS_ENDPOINT: 'false' }, false, 'https://oidc.us-east-1.amazonaws.com', 'https://portal.sso.us-east-1.amazonaws.com'],
    ['fips_in_china', 'cn-northwest-1', {}, true, 'https://oidc-fips.cn-northwest-1.amazonaws.com.cn', 'https://portal.sso-fips.cn-northwest-1.amazonaws.com.cn'],
    [
      'service_specific_overrides_win',
      'us-east-1',
      { AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:9000', AWS_ENDPOINT_URL_SSO: 'http://127.0.0.1:9001', AWS_ENDPOINT_URL: 'http://127.0.0.1:9002' },
      false,
      'http://127.0.0.1:9000',
      'http://127.0.0.1:9001',
    ],
    ['global_override_applies_to_both', 'us-east-1', { AWS_ENDPOINT_URL: 'https://proxy.example.com/aws/' }, false, 'https://proxy.example.com/aws', 'https://proxy.example.com/aws'],
    ['override_beats_fips', 'us-east-1', { AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_USE_FIPS_ENDPOINT: 'true' }, false, 'http://localhost:4566', 'http://localhost:4566'],
    [
      'ignore_configured_endpoint_urls',
      'us-west-2',
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:9002', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      false,
      'https://oidc.us-west-2.amazonaws.com',
      'https://portal.sso.us-west-2.amazonaws.com',
    ],
    ['empty_override_is_unset', 'us-east-1', { AWS_ENDPOINT_URL_SSO_OIDC: '', AWS_ENDPOINT_URL_SSO: '  ' }, false, 'https://oidc.us-east-1.amazonaws.com', 'https://portal.sso.us-east-1.amazonaws.com'],
  ])('%s', (_name, region, env, useFips, oidc, portal) => {
    expect(resolveOidcEndpoint(region, env, { useFips })).toBe(oidc);
    expect(resolvePortalEndpoint(region, env, { useFips })).toBe(portal);
  });

  it.each([['US-EAST-1'], [''], ['us-east'], ['us_east_1'], ['evil.com/x-1'], ['us-east-1.attacker.net'], ['us-east-1 ']])(
    'rejects the region %j as a config_error',
    (region) => {
      expect(() => resolveOidcEndpoint(region, {})).toThrowError(/not an AWS region name/);
      let thrown: unknown;
      try {
        resolvePortalEndpoint(region, {});
      } catch (error) {
        thrown = error;
      }
      expect(isLatchkeyError(thrown, 'config_error')).toBe(true);
    },
  );

  it.each<[string, Environment]>([
    ['not_a_url', { AWS_ENDPOINT_URL_SSO: 'not a url' }],
    ['wrong_scheme', { AWS_ENDPOINT_URL_SSO: 'ftp://example.com' }],
    ['query_string', { AWS_ENDPOINT_URL: 'https://example.com/?a=b' }],
  ])('rejects a bad override: %s', (_name, env) => {
    expect(() => resolvePortalEndpoint('us-east-1', env)).toThrow(expect.objectContaining({ code: 'config_error' }));
  });
});
