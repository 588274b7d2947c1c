import { describe, expect, it } from 'vitest';
import { buildAuthorizeUrl } from '../../../main/core/authorize-url';

const base = {
  oidcEndpoint: 'https://oidc.us-east-1.amazonaws.com',
  clientId: 'client-123',
  redirectUri: 'http://127.0.0.1:50105/oauth/callback',
  state: 'ed667712-df87-45d5-a31a-024940b94743',
  codeChallenge: 'Cdn2Qeta4PCMM2pV2CILZDwsKaEVcnWhdTt-AMmA5Is',
  scopes: ['sso:account:access'],
};

describe('buildAuthorizeUrl', () => {
  it('builds the URL exactly as docs/contract.md section 7 and the AWS CLI show it', () => {
    expect(buildAuthorizeUrl(base)).toBe(
      'https://oidc.us-east-1.amazonaws.com/authorize?response_type=code&client_id=client-123' +
        '&redirect_uri=http%3A%2F%2F127.0.0.1%3A50105%2Foauth%2Fcallback' +
        '&state=ed667712-df87-45d5-a31a-024940b94743&code_challenge_method=S256' +
        '&scopes=sso%3Aaccount%3Aaccess&code_challenge=Cdn2Qeta4PCMM2pV2CILZDwsKaEVcnWhdTt-AMmA5Is',
    );
  });

  it('keeps the parameter order fixed', () => {
    const names = [...new URL(buildAuthorizeUrl(base)).searchParams.keys()];
    expect(names).toEqual([
      'response_type',
      'client_id',
      'redirect_uri',
      'state',
      'code_challenge_method',
      'scopes',
      'code_challenge',
    ]);
  });

  it.each([
    ['trailing_slash_on_endpoint_is_not_doubled', { oidcEndpoint: 'http://127.0.0.1:9000/' }, 'http://127.0.0.1:9000/authorize?'],
    ['emulator_endpoint_is_used_as_given', { oidcEndpoint: 'http://127.0.0.1:9000' }, 'http://127.0.0.1:9000/authorize?'],
  ])('%s', (_name, override, prefix) => {
    expect(buildAuthorizeUrl({ ...base, ...override }).startsWith(prefix)).toBe(true);
  });

  it('joins several scopes with commas, percent-encoded', () => {
    const url = buildAuthorizeUrl({ ...base, scopes: ['sso:account:access', 'codewhisperer:completions'] });
    expect(url).toContain('&scopes=sso%3Aaccount%3Aaccess%2Ccodewhisperer%3Acompletions&');
  });

  it('percent-encodes values so none can add a parameter', () => {
    const url = buildAuthorizeUrl({ ...base, clientId: 'a&b=c d' });
    expect(url).toContain('client_id=a%26b%3Dc%20d&');
    expect(new URL(url).searchParams.get('client_id')).toBe('a&b=c d');
  });
});
