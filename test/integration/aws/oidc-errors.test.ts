import { afterEach, describe, expect, it } from 'vitest';
import type { LatchkeyErrorCode } from '../../../main/core/errors';
import { DEVICE_CODE_GRANT, REFRESH_TOKEN_GRANT } from '../../../main/aws/wire-types';
import { EmulatorHarness } from './emulator-harness';

const START_URL = 'https://d-1234567890.awsapps.com/start';
const SCOPES = ['sso:account:access'];

let harness: EmulatorHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

type Scenario = (h: EmulatorHarness) => Promise<unknown>;

async function registered(h: EmulatorHarness, scopes: string[] | undefined = SCOPES) {
  const registration = await h.oidc.registerClient({ clientName: 'latchkey-test', ...(scopes === undefined ? {} : { scopes }) });
  return { clientId: registration.clientId, clientSecret: registration.clientSecret };
}

/** Each row provokes one OIDC error from the emulator the way a real misuse would. */
const SCENARIOS: [string, LatchkeyErrorCode, string, number, Scenario][] = [
  ['authorization_pending', 'authorization_pending', 'AuthorizationPendingException', 400, async (h) => {
    const client = await registered(h);
    const device = await h.oidc.startDeviceAuthorization({ ...client, startUrl: START_URL });
    return h.oidc.createToken({ ...client, grantType: DEVICE_CODE_GRANT, deviceCode: device.deviceCode });
  }],
  ['invalid_client', 'invalid_client', 'InvalidClientException', 401, async (h) => {
    const client = await registered(h);
    return h.oidc.startDeviceAuthorization({ ...client, clientSecret: 'wrong-secret', startUrl: START_URL });
  }],
  ['unauthorized_client', 'invalid_client', 'UnauthorizedClientException', 400, async (h) => {
    const registration = await h.oidc.registerClient({
      clientName: 'pkce-only',
      scopes: SCOPES,
      grantTypes: ['authorization_code'],
      redirectUris: ['http://127.0.0.1/oauth/callback'],
    });
    return h.oidc.startDeviceAuthorization({ clientId: registration.clientId, clientSecret: registration.clientSecret, startUrl: START_URL });
  }],
  ['invalid_request', 'invalid_request', 'InvalidRequestException', 400, async (h) => {
    const client = await registered(h);
    return h.oidc.startDeviceAuthorization({ ...client, startUrl: 'not a url' });
  }],
  ['invalid_scope', 'invalid_scope', 'InvalidScopeException', 400, (h) => h.oidc.registerClient({ clientName: 'x', scopes: ['not a scope!'] })],
  ['unsupported_grant_type', 'unsupported_grant_type', 'UnsupportedGrantTypeException', 400, async (h) => {
    const client = await registered(h);
    // Not expressible through OidcClient's typed input, so sent through the transport.
    return h.transport.call({ operation: 'CreateToken', method: 'POST', path: 'token', json: { ...client, grantType: 'password' }, safety: 'single-use' });
  }],
  ['invalid_client_metadata', 'invalid_client_metadata', 'InvalidClientMetadataException', 400, (h) =>
    h.oidc.registerClient({ clientName: 'x', scopes: SCOPES, grantTypes: ['client_credentials'] })],
  ['invalid_redirect_uri', 'invalid_redirect_uri', 'InvalidRedirectUriException', 400, (h) =>
    h.oidc.registerClient({ clientName: 'x', scopes: SCOPES, grantTypes: ['authorization_code'], redirectUris: ['https://attacker.example.com/cb'] })],
  ['invalid_grant', 'invalid_grant', 'InvalidGrantException', 400, async (h) => {
    const client = await registered(h);
    return h.oidc.createToken({ ...client, grantType: REFRESH_TOKEN_GRANT, refreshToken: 'never-issued' });
  }],
  ['server_error', 'server_error', 'InternalServerException', 500, async (h) => {
    await h.admin('POST', 'faults', { operation: 'RegisterClient', count: 10, status: 500 });
    return h.oidc.registerClient({ clientName: 'x', scopes: SCOPES });
  }],
];

describe('OIDC errors from the emulator become typed errors', () => {
  it.each(SCENARIOS)('%s', async (_name, code, awsErrorType, httpStatus, scenario) => {
    harness = await EmulatorHarness.start({}, { timing: { maxAttempts: 2 } });
    await expect(scenario(harness)).rejects.toMatchObject({ name: 'AwsServiceError', code, awsErrorType, httpStatus, requestId: expect.any(String) });
  });
});
