import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { OidcClient } from '../../../main/aws/oidc-client';
import { PortalClient } from '../../../main/aws/portal-client';
import { AUTHORIZATION_CODE_GRANT, DEVICE_CODE_GRANT, REFRESH_TOKEN_GRANT } from '../../../main/aws/wire-types';
import { closeStubTransports, stubTransport } from './support/stub-transport';
import { sendJson, sendOidcError, sendPortalError, type StubHandler, type StubServer } from './support/stub-server';

const SECRETS = {
  clientSecret: 'CLIENT-SECRET-5f1c',
  refreshToken: 'REFRESH-TOKEN-9a2b',
  accessToken: 'ACCESS-TOKEN-77de',
  deviceCode: 'DEVICE-CODE-c0de',
  code: 'AUTH-CODE-4e4e',
  codeVerifier: 'CODE-VERIFIER-abcdefghijklmnopqrstuvwxyz0123456789-._~ABCDEFGHIJKLMNOPQRST',
};

let stub: StubServer | undefined;

afterEach(closeStubTransports);

async function clients(handler: StubHandler, requestTimeoutMs = 5_000) {
  const made = await stubTransport(handler, { requestTimeoutMs, maxAttempts: 2 });
  stub = made.stub;
  return { oidc: new OidcClient(made.transport), portal: new PortalClient(made.transport) };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function expectNoSecrets(error: unknown): void {
  const renderings = [
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    inspect(error, { depth: 10, customInspect: false, showHidden: true }),
    error instanceof Error ? (error.stack ?? '') : '',
  ];
  for (const rendering of renderings) {
    for (const secret of Object.values(SECRETS)) expect(rendering).not.toContain(secret);
  }
  expect(error instanceof Error ? error.cause : 'not an error').toBeUndefined();
}

const client = { clientId: 'client-id', clientSecret: SECRETS.clientSecret };
const refresh = { ...client, grantType: REFRESH_TOKEN_GRANT, refreshToken: SECRETS.refreshToken } as const;
const pkce = { ...client, grantType: AUTHORIZATION_CODE_GRANT, code: SECRETS.code, redirectUri: 'http://127.0.0.1:1/oauth/callback', codeVerifier: SECRETS.codeVerifier } as const;

describe('errors never carry secrets', () => {
  it('an OIDC error answer to a refresh', async () => {
    const { oidc } = await clients((_r, res) => sendOidcError(res, 400, 'InvalidGrantException', 'invalid_grant'));
    const error = await caught(oidc.createToken(refresh));
    expect(error).toMatchObject({ code: 'invalid_grant', requestId: '00000000-0000-4000-8000-00000000001a' });
    expectNoSecrets(error);
  });

  it('a connection reset during a device code redemption', async () => {
    const { oidc } = await clients((_r, res) => res.socket?.destroy());
    const error = await caught(oidc.createToken({ ...client, grantType: DEVICE_CODE_GRANT, deviceCode: SECRETS.deviceCode }));
    expect(error).toMatchObject({ code: 'network_error' });
    expectNoSecrets(error);
  });

  it('a timeout during a PKCE code redemption', async () => {
    const { oidc } = await clients((_r, res) => setTimeout(() => res.end(), 2_000).unref(), 50);
    const error = await caught(oidc.createToken(pkce));
    expect(error).toMatchObject({ code: 'timeout' });
    expectNoSecrets(error);
  });

  it('a 401 from the portal with the bearer token', async () => {
    const { portal } = await clients((_r, res) => sendPortalError(res, 401, 'UnauthorizedException'));
    const error = await caught(portal.getRoleCredentials(SECRETS.accessToken, '1', 'R'));
    expect(error).toMatchObject({ code: 'unauthorized', httpStatus: 401 });
    expectNoSecrets(error);
  });

  it('a malformed token response whose bad fields hold secret values', async () => {
    const { oidc } = await clients((_r, res) => sendJson(res, 200, { accessToken: SECRETS.accessToken, expiresIn: SECRETS.refreshToken }));
    const error = await caught(oidc.createToken(refresh));
    expect(error).toMatchObject({ code: 'malformed_response' });
    expectNoSecrets(error);
  });

  it('a device authorization against a closed port', async () => {
    const { oidc } = await clients((_r, res) => res.end());
    await stub?.close();
    const error = await caught(oidc.startDeviceAuthorization({ ...client, startUrl: 'https://d-1.awsapps.com/start' }));
    expect(error).toMatchObject({ code: 'network_error', networkCode: 'ECONNREFUSED' });
    expectNoSecrets(error);
  });

  it('a portal error whose message echoes the bearer token back', async () => {
    const { portal } = await clients((request, res) =>
      sendJson(res, 401, { message: `Invalid token ${String(request.headers['x-amz-sso_bearer_token'])}`, __type: 'com.amazonaws.switchboard.portal#UnauthorizedException' }),
    );
    const error = await caught(portal.listAccounts(SECRETS.accessToken));
    expect(error).toMatchObject({ code: 'unauthorized', awsErrorType: 'UnauthorizedException' });
    expectNoSecrets(error);
  });

  it('an OIDC error whose description, error code and request id echo the refresh token and client secret', async () => {
    const { oidc } = await clients((request, res) => {
      const sent = JSON.parse(request.body) as { refreshToken: string; clientSecret: string };
      sendJson(res, 400, { error: `invalid_grant ${sent.refreshToken}`, error_description: `refresh token ${sent.refreshToken} of ${sent.clientSecret} is revoked` }, {
        'x-amzn-ErrorType': `InvalidGrantException${sent.refreshToken}:x`,
        'x-amzn-RequestId': sent.refreshToken,
      });
    });
    const error = await caught(oidc.createToken(refresh));
    expect(error).toMatchObject({ code: 'invalid_request', httpStatus: 400 });
    expectNoSecrets(error);
  });

  it('a malformed answer whose request id header echoes the bearer token', async () => {
    const { portal } = await clients((request, res) =>
      sendJson(res, 200, { accountList: 'nope' }, { 'x-amzn-RequestId': String(request.headers['x-amz-sso_bearer_token']) }),
    );
    const error = await caught(portal.listAccounts(SECRETS.accessToken));
    expect(error).toMatchObject({ code: 'malformed_response', requestId: undefined });
    expectNoSecrets(error);
  });
});
