import { describe, expect, it } from 'vitest';
import { allowedExternalHosts, isAllowedExternalUrl, isLaunchLinkUrl } from '../../../main/core/external-url-policy';

const awsEndpoints = {
  oidc: (region: string) => `https://oidc.${region}.amazonaws.com`,
  portal: (region: string) => `https://portal.sso.${region}.amazonaws.com`,
};
const allow = allowedExternalHosts([{ startUrl: 'https://my-org.awsapps.com/start', region: 'eu-west-1' }], awsEndpoints);

describe('the hosts a sign-in may open', () => {
  it('derives start URL, OIDC, portal and device verification hosts, never a bare suffix', () => {
    expect([...allow.hosts].sort()).toEqual(
      ['device.sso.eu-west-1.amazonaws.com', 'my-org.awsapps.com', 'oidc.eu-west-1.amazonaws.com', 'portal.sso.eu-west-1.amazonaws.com'].sort(),
    );
    expect(allow.loopbackOrigins).toEqual([]);
  });

  it('admits an emulator endpoint override by exact origin only', () => {
    const emulator = allowedExternalHosts([{ startUrl: 'https://example.awsapps.com/start', region: 'us-east-1' }], {
      oidc: () => 'http://127.0.0.1:4567',
      portal: () => 'http://127.0.0.1:4567',
    });
    expect(emulator.loopbackOrigins).toEqual(['http://127.0.0.1:4567']);
    expect(isAllowedExternalUrl('http://127.0.0.1:4567/device?user_code=ABCD-EFGH', emulator)).toBe(true);
    expect(isAllowedExternalUrl('http://127.0.0.1:4568/device', emulator)).toBe(false);
    expect(isAllowedExternalUrl('http://localhost:4567/device', emulator)).toBe(false);
  });

  it('ignores a non-loopback http override', () => {
    const plain = allowedExternalHosts([], { oidc: () => 'http://sso.example.com', portal: () => 'http://sso.example.com' });
    expect(plain).toEqual({ hosts: [], loopbackOrigins: [] });
  });

  it('survives a region that has no endpoint', () => {
    const broken = allowedExternalHosts([{ startUrl: 'https://my-org.awsapps.com/start', region: 'nowhere' }], {
      oidc: () => {
        throw new Error('bad region');
      },
      portal: () => {
        throw new Error('bad region');
      },
    });
    expect(broken.hosts).toEqual(['my-org.awsapps.com']);
  });
});

describe('isAllowedExternalUrl', () => {
  it.each([
    ['https_device_page_accepted', 'https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH', true],
    ['https_start_url_accepted', 'https://my-org.awsapps.com/start/#/device?user_code=ABCD-EFGH', true],
    ['authorize_on_oidc_accepted', 'https://oidc.eu-west-1.amazonaws.com/authorize?response_type=code', true],
    ['subdomain_accepted', 'https://login.my-org.awsapps.com/x', true],
    ['explicit_default_port_accepted', 'https://my-org.awsapps.com:443/start', true],
    ['host_case_ignored', 'https://MY-ORG.awsapps.com/start', true],
    ['http_rejected', 'http://my-org.awsapps.com/start', false],
    ['other_host_rejected', 'https://evil.example/start', false],
    ['lookalike_suffix_rejected', 'https://evilmy-org.awsapps.com/start', false],
    ['parent_domain_rejected', 'https://awsapps.com/start', false],
    ['other_aws_host_rejected', 'https://evil-bucket.s3.amazonaws.com/', false],
    ['userinfo_rejected', 'https://my-org.awsapps.com@evil.example/', false],
    ['userinfo_on_allowed_host_rejected', 'https://user:pw@my-org.awsapps.com/start', false],
    ['odd_port_rejected', 'https://my-org.awsapps.com:8443/start', false],
    ['javascript_rejected', 'javascript:alert(1)', false],
    ['file_rejected', 'file:///etc/passwd', false],
    ['custom_scheme_rejected', 'ms-settings:privacy', false],
    ['garbage_rejected', 'not a url', false],
  ])('%s', (_name, url, expected) => {
    expect(isAllowedExternalUrl(url, allow)).toBe(expected);
  });

  it('admits exactly a live launch link on loopback', () => {
    const live = 'http://127.0.0.1:50123/AAAAAAAAAAAAAAAAAAAAAA';
    const isLive = (url: string): boolean => url === live;
    expect(isLaunchLinkUrl(live, isLive)).toBe(true);
    expect(isLaunchLinkUrl('http://127.0.0.1:50123/AAAAAAAAAAAAAAAAAAAAAB', isLive)).toBe(false);
    // Even a URL the sites call live is refused when anything is around the bare link.
    for (const other of [
      `${live}?state=x`,
      `${live}#x`,
      'http://localhost:50123/AAAAAAAAAAAAAAAAAAAAAA',
      'https://127.0.0.1:50123/AAAAAAAAAAAAAAAAAAAAAA',
      'http://user@127.0.0.1:50123/AAAAAAAAAAAAAAAAAAAAAA',
      'http://127.0.0.1:4567/device?user_code=ABCD-EFGH',
    ]) {
      expect(isLaunchLinkUrl(other, (url) => url === other)).toBe(false);
    }
  });
});
