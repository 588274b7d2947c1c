import { describe, expect, it } from 'vitest';
import { shouldBypassProxy } from '../../../main/aws/no-proxy';

describe('NO_PROXY matching', () => {
  it.each<[string, string, string | undefined, boolean]>([
    ['unset_never_bypasses', 'https://oidc.us-east-1.amazonaws.com', undefined, false],
    ['empty_never_bypasses', 'https://oidc.us-east-1.amazonaws.com', '', false],
    ['star_bypasses_everything', 'https://oidc.us-east-1.amazonaws.com', '*', true],
    ['exact_host', 'https://example.com', 'example.com', true],
    ['bare_domain_matches_subdomain', 'https://api.example.com', 'example.com', true],
    ['leading_dot_matches_subdomain', 'https://api.example.com', '.example.com', true],
    ['leading_dot_matches_the_domain_itself', 'https://example.com', '.example.com', true],
    ['star_dot_matches_subdomain', 'https://a.b.example.com', '*.example.com', true],
    ['suffix_needs_a_label_boundary', 'https://notexample.com', 'example.com', false],
    ['other_domain', 'https://example.org', 'example.com', false],
    ['list_with_spaces_and_commas', 'https://portal.sso.us-east-1.amazonaws.com', 'localhost, 127.0.0.1 ,amazonaws.com', true],
    ['case_insensitive', 'https://API.Example.COM', 'example.com', true],
    ['host_port_matches_that_port', 'http://127.0.0.1:8080', '127.0.0.1:8080', true],
    ['host_port_skips_other_port', 'http://127.0.0.1:9090', '127.0.0.1:8080', false],
    ['host_port_against_default_https_port', 'https://example.com', 'example.com:443', true],
    ['host_port_against_default_http_port', 'http://example.com', 'example.com:443', false],
    ['ip_matches_only_itself', 'http://127.0.0.10', '127.0.0.1', false],
    ['bracketed_ipv6', 'http://[::1]:8080', '[::1]', true],
    ['bare_ipv6', 'http://[::1]:8080', '::1', true],
    ['bracketed_ipv6_with_port', 'http://[::1]:8080', '[::1]:9090', false],
  ])('%s', (_name, target, noProxy, expected) => {
    expect(shouldBypassProxy(new URL(target), noProxy)).toBe(expected);
  });
});
