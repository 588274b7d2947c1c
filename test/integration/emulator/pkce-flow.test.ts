import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { CreateTokenCommand, InvalidGrantException, RegisterClientCommand, type SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { describe, expect, it } from 'vitest';
import { admin, adminJson, adminOk, emulatorForTest, oidcClient, rejectionOf, SSO_SCOPE } from './harness';

const REGISTERED_REDIRECT = 'http://127.0.0.1/oauth/callback';

interface PkceClient {
  clientId: string;
  clientSecret: string;
}

async function registerPkceClient(oidc: SSOOIDCClient): Promise<PkceClient> {
  const out = await oidc.send(new RegisterClientCommand({
    clientName: 'latchkey-pkce',
    clientType: 'public',
    scopes: [SSO_SCOPE],
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [REGISTERED_REDIRECT],
    issuerUrl: 'https://identitycenter.amazonaws.com/ssoins-1234567890abcdef',
  }));
  return { clientId: out.clientId ?? '', clientSecret: out.clientSecret ?? '' };
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(baseUrl: string, clientId: string, redirectUri: string, challenge: string, state: string): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    state,
    code_challenge_method: 'S256',
    scopes: SSO_SCOPE,
    code_challenge: challenge,
  });
  return `${baseUrl}/authorize?${query.toString()}`;
}

describe('authorization code flow with PKCE', () => {
  it('redirects to the loopback URI with code and state, and redeems the code with the verifier', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    const oidc = oidcClient(emulator.baseUrl);
    const client = await registerPkceClient(oidc);
    const { verifier, challenge } = pkcePair();
    const redirectUri = 'http://127.0.0.1:49152/oauth/callback';

    const response = await fetch(authorizeUrl(emulator.baseUrl, client.clientId, redirectUri, challenge, 'state-123'), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('state-123');
    const code = location.searchParams.get('code') ?? '';

    const token = await oidc.send(new CreateTokenCommand({ ...client, grantType: 'authorization_code', code, redirectUri, codeVerifier: verifier }));

    expect(token).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
    expect(token.refreshToken).toEqual(expect.any(String));
  });

  it('rejects a wrong code verifier with InvalidGrantException and spends the code', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    const oidc = oidcClient(emulator.baseUrl);
    const client = await registerPkceClient(oidc);
    const { verifier, challenge } = pkcePair();
    const redirectUri = 'http://127.0.0.1:50000/oauth/callback';
    const response = await fetch(authorizeUrl(emulator.baseUrl, client.clientId, redirectUri, challenge, 's'), { redirect: 'manual' });
    const code = new URL(response.headers.get('location') ?? '').searchParams.get('code') ?? '';

    const wrong = await rejectionOf(oidc.send(new CreateTokenCommand({ ...client, grantType: 'authorization_code', code, redirectUri, codeVerifier: pkcePair().verifier })));
    const again = await rejectionOf(oidc.send(new CreateTokenCommand({ ...client, grantType: 'authorization_code', code, redirectUri, codeVerifier: verifier })));

    expect(wrong).toBeInstanceOf(InvalidGrantException);
    expect(again).toBeInstanceOf(InvalidGrantException);
  });

  it('rejects a redirectUri at CreateToken that differs from the authorization request', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    const oidc = oidcClient(emulator.baseUrl);
    const client = await registerPkceClient(oidc);
    const { verifier, challenge } = pkcePair();
    const response = await fetch(authorizeUrl(emulator.baseUrl, client.clientId, 'http://127.0.0.1:50001/oauth/callback', challenge, 's'), { redirect: 'manual' });
    const code = new URL(response.headers.get('location') ?? '').searchParams.get('code') ?? '';

    const error = await rejectionOf(oidc.send(new CreateTokenCommand({
      ...client, grantType: 'authorization_code', code, redirectUri: 'http://127.0.0.1:50002/oauth/callback', codeVerifier: verifier,
    })));

    expect(error).toBeInstanceOf(InvalidGrantException);
  });

  it('shows an approval page, and Deny redirects with error=access_denied and the state', async () => {
    const emulator = await emulatorForTest();
    const oidc = oidcClient(emulator.baseUrl);
    const client = await registerPkceClient(oidc);
    const redirectUri = 'http://127.0.0.1:50003/oauth/callback';
    const page = await fetch(authorizeUrl(emulator.baseUrl, client.clientId, redirectUri, pkcePair().challenge, 'st'), { redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    const requestId = /name="request" value="([^"]+)"/.exec(html)?.[1] ?? '';

    const decision = await fetch(`${emulator.baseUrl}/authorize/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: requestId, decision: 'deny' }).toString(),
      redirect: 'manual',
    });

    expect(decision.status).toBe(302);
    const location = new URL(decision.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st');
  });

  it('delivers the redirect to the loopback listener when the admin API approves a pending request', async () => {
    const emulator = await emulatorForTest();
    const oidc = oidcClient(emulator.baseUrl);
    const client = await registerPkceClient(oidc);
    const received = new Promise<URL>((resolve) => {
      const listener = createServer((req, res) => {
        res.end('ok');
        listener.close();
        listener.closeAllConnections();
        resolve(new URL(req.url ?? '/', 'http://127.0.0.1'));
      });
      listener.listen(0, '127.0.0.1', () => {
        const { port } = listener.address() as { port: number };
        void start(port);
      });
    });
    async function start(port: number): Promise<void> {
      const page = await fetch(authorizeUrl(emulator.baseUrl, client.clientId, `http://127.0.0.1:${port}/oauth/callback`, pkcePair().challenge, 'st2'));
      await page.text();
      const pending = await adminJson<{ authorizeUserCodes: string[] }>(emulator.baseUrl, 'pending');
      await adminOk(emulator.baseUrl, 'approve', { userCode: pending.authorizeUserCodes[0] });
    }

    const callback = await received;

    expect(callback.pathname).toBe('/oauth/callback');
    expect(callback.searchParams.get('state')).toBe('st2');
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
  });

  it.each([
    ['an unregistered redirect path', 'http://127.0.0.1:5000/other'],
    ['a non-loopback redirect', 'http://example.com:5000/oauth/callback'],
    ['an https redirect', 'https://127.0.0.1:5000/oauth/callback'],
  ])('refuses to redirect for %s', async (_name, redirectUri) => {
    const emulator = await emulatorForTest({ autoApprove: true });
    const client = await registerPkceClient(oidcClient(emulator.baseUrl));

    const response = await fetch(authorizeUrl(emulator.baseUrl, client.clientId, redirectUri, pkcePair().challenge, 's'), { redirect: 'manual' });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^InvalidRedirectUriException:/);
  });

  it('redirects with error=invalid_request for a plain code challenge method', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    const client = await registerPkceClient(oidcClient(emulator.baseUrl));
    const url = new URL(authorizeUrl(emulator.baseUrl, client.clientId, 'http://127.0.0.1:5000/oauth/callback', pkcePair().challenge, 's'));
    url.searchParams.set('code_challenge_method', 'plain');

    const response = await fetch(url, { redirect: 'manual' });

    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  it('answers 404 from the admin API for a pending request that does not exist', async () => {
    const emulator = await emulatorForTest();

    const response = await admin(emulator.baseUrl, 'POST', 'approve', { userCode: 'ZZZZ-ZZZZ' });

    expect(response.status).toBe(404);
  });
});
