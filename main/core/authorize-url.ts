/**
 * The browser half of the PKCE sign-in: the OIDC service's `/authorize` page, with the
 * query exactly as the AWS CLI sends it (docs/contract.md section 7). Parameter names and order
 * are fixed because the emulator and people comparing against `aws sso login` read them.
 */

export interface AuthorizeUrlInput {
  /** The OIDC endpoint, e.g. `https://oidc.us-east-1.amazonaws.com` or an override. */
  oidcEndpoint: string;
  clientId: string;
  /** The loopback redirect with its port, as the listener reports it. */
  redirectUri: string;
  state: string;
  codeChallenge: string;
  /** The session's registration scopes; the AWS CLI default is `sso:account:access`. */
  scopes: readonly string[];
}

export function buildAuthorizeUrl(input: AuthorizeUrlInput): string {
  // Ordered pairs, not URLSearchParams: that encodes a space as `+`, and the AWS CLI's
  // URL has every reserved character percent-encoded (`%3A`, `%2F`).
  const query: [string, string][] = [
    ['response_type', 'code'],
    ['client_id', input.clientId],
    ['redirect_uri', input.redirectUri],
    ['state', input.state],
    ['code_challenge_method', 'S256'],
    // Joined with commas, as `sso_registration_scopes` writes a list.
    ['scopes', input.scopes.join(',')],
    ['code_challenge', input.codeChallenge],
  ];
  const base = input.oidcEndpoint.replace(/\/+$/, '');
  const encoded = query.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
  return `${base}/authorize?${encoded}`;
}
