import {
  CreateTokenCommand,
  InternalServerException,
  InvalidClientException,
  InvalidClientMetadataException,
  InvalidRedirectUriException,
  InvalidRequestException,
  InvalidScopeException,
  RegisterClientCommand,
  StartDeviceAuthorizationCommand,
  UnauthorizedClientException,
  UnsupportedGrantTypeException,
  SSOOIDCServiceException,
  type SSOOIDCClient,
} from '@aws-sdk/client-sso-oidc';
import { describe, expect, it } from 'vitest';
import { adminOk, DEVICE_GRANT, emulatorForTest, oidcClient, registerDeviceClient, rejectionOf, START_URL } from './harness';

type Scenario = (oidc: SSOOIDCClient, baseUrl: string) => Promise<unknown>;

async function deviceCodeFor(oidc: SSOOIDCClient): Promise<{ clientId: string; clientSecret: string; deviceCode: string }> {
  const registration = await registerDeviceClient(oidc);
  const start = await oidc.send(new StartDeviceAuthorizationCommand({ ...registration, startUrl: START_URL }));
  return { ...registration, deviceCode: start.deviceCode ?? '' };
}

const scenarios: [string, string, number, abstract new (...args: never[]) => SSOOIDCServiceException, Scenario][] = [
  ['invalid_client for a wrong client secret', 'invalid_client', 401, InvalidClientException, async (oidc) => {
    const registration = await registerDeviceClient(oidc);
    return oidc.send(new StartDeviceAuthorizationCommand({ ...registration, clientSecret: 'wrong', startUrl: START_URL }));
  }],
  ['invalid_client for an expired registration', 'invalid_client', 401, InvalidClientException, async (oidc, baseUrl) => {
    const registration = await registerDeviceClient(oidc);
    await adminOk(baseUrl, 'clock', { advanceSeconds: 90 * 24 * 3600 });
    return oidc.send(new StartDeviceAuthorizationCommand({ ...registration, startUrl: START_URL }));
  }],
  ['unauthorized_client for the device grant on an authorization_code-only client', 'unauthorized_client', 400, UnauthorizedClientException, async (oidc) => {
    const out = await oidc.send(new RegisterClientCommand({
      clientName: 'pkce-only', clientType: 'public', scopes: ['sso:account:access'],
      grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1/oauth/callback'],
    }));
    return oidc.send(new StartDeviceAuthorizationCommand({ clientId: out.clientId, clientSecret: out.clientSecret, startUrl: START_URL }));
  }],
  ['invalid_request for a device grant without deviceCode', 'invalid_request', 400, InvalidRequestException, async (oidc) => {
    const registration = await registerDeviceClient(oidc);
    return oidc.send(new CreateTokenCommand({ ...registration, grantType: DEVICE_GRANT }));
  }],
  ['invalid_scope for a malformed scope at registration', 'invalid_scope', 400, InvalidScopeException, async (oidc) =>
    oidc.send(new RegisterClientCommand({ clientName: 'x', clientType: 'public', scopes: ['not a scope!'] }))],
  ['invalid_scope for a scope the client did not register', 'invalid_scope', 400, InvalidScopeException, async (oidc) => {
    const { deviceCode, ...registration } = await deviceCodeFor(oidc);
    return oidc.send(new CreateTokenCommand({ ...registration, grantType: DEVICE_GRANT, deviceCode, scope: ['codewhisperer:completions'] }));
  }],
  ['unsupported_grant_type for the password grant', 'unsupported_grant_type', 400, UnsupportedGrantTypeException, async (oidc) => {
    const registration = await registerDeviceClient(oidc);
    return oidc.send(new CreateTokenCommand({ ...registration, grantType: 'password' }));
  }],
  ['invalid_client_metadata for a confidential client type', 'invalid_client_metadata', 400, InvalidClientMetadataException, async (oidc) =>
    oidc.send(new RegisterClientCommand({ clientName: 'x', clientType: 'confidential' }))],
  ['invalid_redirect_uri for a non-loopback redirect URI', 'invalid_redirect_uri', 400, InvalidRedirectUriException, async (oidc) =>
    oidc.send(new RegisterClientCommand({
      clientName: 'x', clientType: 'public', grantTypes: ['authorization_code'], redirectUris: ['https://example.com/callback'],
    }))],
  ['server_error for an injected 500', 'server_error', 500, InternalServerException, async (oidc, baseUrl) => {
    await adminOk(baseUrl, 'faults', { operation: 'RegisterClient', count: 1, status: 500 });
    return registerDeviceClient(oidc);
  }],
];

describe('OIDC errors reach the AWS SDK as its modeled exceptions', () => {
  it.each(scenarios)('%s', async (_name, code, status, exceptionClass, scenario) => {
    const emulator = await emulatorForTest();
    const oidc = oidcClient(emulator.baseUrl);

    const error = await rejectionOf(scenario(oidc, emulator.baseUrl));

    expect(error).toBeInstanceOf(exceptionClass);
    const exception = error as SSOOIDCServiceException & { error?: string; error_description?: string };
    expect(exception.error).toBe(code);
    expect(exception.error_description).toEqual(expect.any(String));
    expect(exception.$metadata.httpStatusCode).toBe(status);
    expect(exception.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends the error type header AWS sends, with the Coral namespace', async () => {
    const emulator = await emulatorForTest();

    const response = await fetch(`${emulator.baseUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'x', clientSecret: 'y', grantType: DEVICE_GRANT, deviceCode: 'z' }),
    });

    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidClientException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/');
    expect(await response.json()).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  });

  it('throttles an OIDC operation as AWS front ends do: 429 ThrottlingException', async () => {
    const emulator = await emulatorForTest();
    await adminOk(emulator.baseUrl, 'throttle', { operation: 'RegisterClient', perSecond: 1 });
    const oidc = oidcClient(emulator.baseUrl);
    await registerDeviceClient(oidc);

    const error = await rejectionOf(registerDeviceClient(oidc));

    expect(error).toBeInstanceOf(SSOOIDCServiceException);
    expect((error as SSOOIDCServiceException).name).toBe('ThrottlingException');
    expect((error as SSOOIDCServiceException).$metadata.httpStatusCode).toBe(429);
  });

  it('answers invalid_request to a body that is not JSON', async () => {
    const emulator = await emulatorForTest();

    const response = await fetch(`${emulator.baseUrl}/client/register`, { method: 'POST', body: '{not json' });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });
});
