import { afterEach, describe, expect, it } from 'vitest';
import { OidcClient, type CreateTokenInput } from '../../../main/aws/oidc-client';
import { AUTHORIZATION_CODE_GRANT, DEVICE_CODE_GRANT, REFRESH_TOKEN_GRANT } from '../../../main/aws/wire-types';
import { closeStubTransports, stubTransport } from './support/stub-transport';
import { sendJson, sendOidcError, type StubHandler, type StubServer } from './support/stub-server';

let stub: StubServer | undefined;

afterEach(closeStubTransports);

async function oidcAgainst(handler: StubHandler): Promise<OidcClient> {
  const made = await stubTransport(handler);
  stub = made.stub;
  return new OidcClient(made.transport);
}

function lastBody(): unknown {
  return JSON.parse(stub?.requests.at(-1)?.body ?? 'null');
}

const client = { clientId: 'cid', clientSecret: 'csecret' };
const tokenAnswer: StubHandler = (_r, res) => sendJson(res, 200, { accessToken: 'at', tokenType: 'Bearer', expiresIn: 3600, refreshToken: 'rt-new' });

/** Drops the connection after reading the request: the server may or may not have acted. */
const resetAfterReading: StubHandler = (_r, res) => res.socket?.destroy();

describe('OidcClient', () => {
  it('registers a public client, keeping the epoch-second times', async () => {
    const oidc = await oidcAgainst((_r, res) =>
      sendJson(res, 200, { clientId: 'cid', clientSecret: 'cs', clientIdIssuedAt: 1_700_000_000, clientSecretExpiresAt: 1_707_776_000 }),
    );
    const registration = await oidc.registerClient({ clientName: 'latchkey', scopes: ['sso:account:access'] });
    expect(stub?.requests[0]?.url).toBe('/client/register');
    expect(lastBody()).toEqual({ clientName: 'latchkey', clientType: 'public', scopes: ['sso:account:access'] });
    expect(registration).toEqual({ clientId: 'cid', clientSecret: 'cs', clientIdIssuedAt: 1_700_000_000, clientSecretExpiresAt: 1_707_776_000 });
  });

  it('registers a PKCE client with grant types and redirect URIs', async () => {
    const oidc = await oidcAgainst((_r, res) => sendJson(res, 200, { clientId: 'cid', clientSecret: 'cs', clientIdIssuedAt: 1, clientSecretExpiresAt: 2 }));
    await oidc.registerClient({
      clientName: 'latchkey',
      scopes: ['sso:account:access'],
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1/oauth/callback'],
      issuerUrl: 'https://identitycenter.amazonaws.com/ssoins-1',
    });
    expect(lastBody()).toMatchObject({ grantTypes: ['authorization_code', 'refresh_token'], redirectUris: ['http://127.0.0.1/oauth/callback'], issuerUrl: 'https://identitycenter.amazonaws.com/ssoins-1' });
  });

  it('starts a device authorization and defaults the interval to 5 seconds when absent', async () => {
    const oidc = await oidcAgainst((_r, res) =>
      sendJson(res, 200, { deviceCode: 'dc', userCode: 'ABCD-EFGH', verificationUri: 'https://v', verificationUriComplete: 'https://v?user_code=ABCD-EFGH', expiresIn: 600 }),
    );
    const authorization = await oidc.startDeviceAuthorization({ ...client, startUrl: 'https://d-1.awsapps.com/start' });
    expect(stub?.requests[0]?.url).toBe('/device_authorization');
    expect(lastBody()).toEqual({ ...client, startUrl: 'https://d-1.awsapps.com/start' });
    expect(authorization).toEqual({
      deviceCode: 'dc',
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://v',
      verificationUriComplete: 'https://v?user_code=ABCD-EFGH',
      expiresIn: 600,
      interval: 5,
    });
  });

  it('keeps the interval the service sends', async () => {
    const oidc = await oidcAgainst((_r, res) => sendJson(res, 200, { deviceCode: 'dc', userCode: 'u', verificationUri: 'https://v', verificationUriComplete: 'https://v?c', expiresIn: 600, interval: 1 }));
    expect((await oidc.startDeviceAuthorization({ ...client, startUrl: 's' })).interval).toBe(1);
  });

  it.each<[string, CreateTokenInput, Record<string, unknown>]>([
    ['device_code', { ...client, grantType: DEVICE_CODE_GRANT, deviceCode: 'dc' }, { ...client, grantType: DEVICE_CODE_GRANT, deviceCode: 'dc' }],
    [
      'authorization_code',
      { ...client, grantType: AUTHORIZATION_CODE_GRANT, code: 'c', redirectUri: 'http://127.0.0.1:5000/oauth/callback', codeVerifier: 'v' },
      { ...client, grantType: 'authorization_code', code: 'c', redirectUri: 'http://127.0.0.1:5000/oauth/callback', codeVerifier: 'v' },
    ],
    [
      'refresh_token',
      { ...client, grantType: REFRESH_TOKEN_GRANT, refreshToken: 'rt', scopes: ['sso:account:access'] },
      { ...client, grantType: 'refresh_token', refreshToken: 'rt', scope: ['sso:account:access'] },
    ],
  ])('sends the %s grant with exactly its fields', async (_name, input, body) => {
    const oidc = await oidcAgainst(tokenAnswer);
    await expect(oidc.createToken(input)).resolves.toEqual({ accessToken: 'at', tokenType: 'Bearer', expiresIn: 3600, refreshToken: 'rt-new' });
    expect(stub?.requests[0]?.url).toBe('/token');
    expect(lastBody()).toEqual(body);
  });

  it('keeps the old refresh token when a refresh response omits one', async () => {
    const oidc = await oidcAgainst((_r, res) => sendJson(res, 200, { accessToken: 'at2', tokenType: 'Bearer', expiresIn: 3600 }));
    const tokens = await oidc.createToken({ ...client, grantType: REFRESH_TOKEN_GRANT, refreshToken: 'rt-old' });
    expect(tokens.refreshToken).toBe('rt-old');
  });

  it('returns no refresh token for a device code grant without one', async () => {
    const oidc = await oidcAgainst((_r, res) => sendJson(res, 200, { accessToken: 'at', expiresIn: 28_800 }));
    const tokens = await oidc.createToken({ ...client, grantType: DEVICE_CODE_GRANT, deviceCode: 'dc' });
    expect(tokens).toEqual({ accessToken: 'at', tokenType: 'Bearer', expiresIn: 28_800 });
  });

  it('reports authorization_pending without retrying it', async () => {
    const oidc = await oidcAgainst((_r, res) => sendOidcError(res, 400, 'AuthorizationPendingException', 'authorization_pending'));
    await expect(oidc.createToken({ ...client, grantType: DEVICE_CODE_GRANT, deviceCode: 'dc' })).rejects.toMatchObject({ code: 'authorization_pending', retryable: true });
    expect(stub?.requests).toHaveLength(1);
  });

  it.each<[string, CreateTokenInput, number]>([
    ['device_code_is_repeated', { ...client, grantType: DEVICE_CODE_GRANT, deviceCode: 'dc' }, 2],
    ['authorization_code_is_not_repeated', { ...client, grantType: AUTHORIZATION_CODE_GRANT, code: 'c', redirectUri: 'r', codeVerifier: 'v' }, 1],
    ['refresh_token_is_not_repeated', { ...client, grantType: REFRESH_TOKEN_GRANT, refreshToken: 'rt' }, 1],
  ])('after a connection reset, %s', async (_name, input, requests) => {
    let calls = 0;
    const oidc = await oidcAgainst((r, res) => {
      calls += 1;
      if (calls === 1) resetAfterReading(r, res);
      else tokenAnswer(r, res);
    });
    const result = oidc.createToken(input);
    if (requests === 2) await expect(result).resolves.toMatchObject({ accessToken: 'at' });
    else await expect(result).rejects.toMatchObject({ code: 'network_error' });
    expect(stub?.requests).toHaveLength(requests);
  });

  it('retries a refresh that the server answered with 500, since nothing was issued', async () => {
    let calls = 0;
    const oidc = await oidcAgainst((r, res) => {
      calls += 1;
      if (calls === 1) sendOidcError(res, 500, 'InternalServerException', 'server_error');
      else tokenAnswer(r, res);
    });
    await expect(oidc.createToken({ ...client, grantType: REFRESH_TOKEN_GRANT, refreshToken: 'rt' })).resolves.toMatchObject({ refreshToken: 'rt-new' });
    expect(stub?.requests).toHaveLength(2);
  });
});
