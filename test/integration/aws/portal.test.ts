import { afterEach, describe, expect, it } from 'vitest';
import { DEVICE_CODE_GRANT } from '../../../main/aws/wire-types';
import { EmulatorHarness, type HarnessOptions } from './emulator-harness';

let harness: EmulatorHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** An emulator with auto-approval and an access token from a completed device flow. */
async function signedIn(options: HarnessOptions = {}): Promise<{ h: EmulatorHarness; accessToken: string }> {
  const h = await EmulatorHarness.start({ autoApprove: true }, options);
  harness = h;
  const registration = await h.oidc.registerClient({ clientName: 'latchkey-test', scopes: ['sso:account:access'] });
  const client = { clientId: registration.clientId, clientSecret: registration.clientSecret };
  const device = await h.oidc.startDeviceAuthorization({ ...client, startUrl: 'https://d-1234567890.awsapps.com/start' });
  const tokens = await h.oidc.createToken({ ...client, grantType: DEVICE_CODE_GRANT, deviceCode: device.deviceCode });
  return { h, accessToken: tokens.accessToken };
}

describe('portal operations against the emulator', () => {
  it('lists the default directory with its roles', async () => {
    const { h, accessToken } = await signedIn();
    const accounts = await h.portal.listAccounts(accessToken);
    expect(accounts.map((a) => [a.accountId, a.accountName])).toEqual([
      ['111111111111', 'Development'],
      ['222222222222', 'Production'],
    ]);
    const roles = await h.portal.listAccountRoles(accessToken, '111111111111');
    expect(roles.map((r) => r.roleName).sort()).toEqual(['Developer', 'ReadOnly']);
    expect(roles.every((r) => r.accountId === '111111111111')).toBe(true);
  });

  it('returns role credentials that expire in about an hour, in epoch ms', async () => {
    const { h, accessToken } = await signedIn();
    const credentials = await h.portal.getRoleCredentials(accessToken, '111111111111', 'Developer');
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.secretAccessKey).not.toBe('');
    expect(credentials.sessionToken).not.toBe('');
    expect(credentials.expiration).toBeGreaterThan(Date.now() + 55 * 60 * 1000);
    expect(credentials.expiration).toBeLessThan(Date.now() + 65 * 60 * 1000);
  });

  it('pages through 500 accounts in ceil(500/100) = 5 requests', async () => {
    const { h, accessToken } = await signedIn();
    await h.admin('POST', 'directory', { generate: { accounts: 500, rolesPerAccount: 3 } });
    await h.admin('POST', 'reset');
    const accounts = await h.portal.listAccounts(accessToken);
    expect(accounts).toHaveLength(500);
    expect(new Set(accounts.map((a) => a.accountId)).size).toBe(500);
    expect((await h.calls()).ListAccounts).toBe(Math.ceil(500 / 100));
    const roles = await h.portal.listAccountRoles(accessToken, accounts[499]?.accountId ?? '');
    expect(roles).toHaveLength(3);
  });

  it('rides out throttling with backoff and still returns every page', async () => {
    const { h, accessToken } = await signedIn({ random: () => 0.9 });
    await h.admin('POST', 'directory', { generate: { accounts: 500, rolesPerAccount: 1 } });
    await h.admin('POST', 'throttle', { operation: 'ListAccounts', perSecond: 2 });
    const accounts = await h.portal.listAccounts(accessToken);
    expect(accounts).toHaveLength(500);
    expect(h.clock.sleeps.length).toBeGreaterThan(0);
    expect((await h.calls()).ListAccounts).toBeGreaterThan(5);
  });

  it('reports throttled (retryable) when the throttle outlasts the retries', async () => {
    const { h, accessToken } = await signedIn({ timing: { maxAttempts: 2 } });
    await h.admin('POST', 'throttle', { operation: 'GetRoleCredentials', perSecond: 0 });
    await expect(h.portal.getRoleCredentials(accessToken, '111111111111', 'Developer')).rejects.toMatchObject({
      code: 'throttled',
      retryable: true,
      httpStatus: 429,
      awsErrorType: 'TooManyRequestsException',
    });
  });

  it.each([
    ['forbidden', 403, '111111111111', 'NotAssigned'],
    ['not_found', 404, '999999999999', 'Developer'],
    ['invalid_request', 400, 'not-an-account', 'Developer'],
  ])('maps %s (%i) for account %s role %s', async (code, httpStatus, accountId, roleName) => {
    const { h, accessToken } = await signedIn();
    await expect(h.portal.getRoleCredentials(accessToken, accountId, roleName)).rejects.toMatchObject({ code, httpStatus, retryable: false });
  });

  it('logs out, after which the token is unauthorized (401)', async () => {
    const { h, accessToken } = await signedIn();
    await h.portal.logout(accessToken);
    expect((await h.calls()).Logout).toBe(1);
    await expect(h.portal.listAccounts(accessToken)).rejects.toMatchObject({ code: 'unauthorized', httpStatus: 401, awsErrorType: 'UnauthorizedException' });
    // Logging out again is harmless.
    await expect(h.portal.logout(accessToken)).resolves.toBeUndefined();
  });

  it('retries an injected 500 on a listing and recovers', async () => {
    const { h, accessToken } = await signedIn();
    await h.admin('POST', 'faults', { operation: 'ListAccountRoles', count: 1, status: 500 });
    await expect(h.portal.listAccountRoles(accessToken, '222222222222')).resolves.toEqual([{ accountId: '222222222222', roleName: 'ReadOnly' }]);
    expect((await h.calls()).ListAccountRoles).toBe(2);
  });

  it('reports timeout when a response is delayed past the request timeout', async () => {
    const { h, accessToken } = await signedIn({ timing: { requestTimeoutMs: 200, maxAttempts: 1 } });
    await h.admin('POST', 'faults', { operation: 'ListAccounts', count: 1, delayMs: 3000 });
    await expect(h.portal.listAccounts(accessToken)).rejects.toMatchObject({ code: 'timeout', operation: 'ListAccounts', retryable: true });
  });

  it('recovers from a delayed response by retrying', async () => {
    const { h, accessToken } = await signedIn({ timing: { requestTimeoutMs: 200 } });
    await h.admin('POST', 'faults', { operation: 'ListAccounts', count: 1, delayMs: 3000 });
    await expect(h.portal.listAccounts(accessToken)).resolves.toHaveLength(2);
  });

  it('reports a malformed JSON body as malformed_response', async () => {
    const { h, accessToken } = await signedIn();
    await h.admin('POST', 'faults', { operation: 'GetRoleCredentials', count: 1, body: 'malformed' });
    await expect(h.portal.getRoleCredentials(accessToken, '111111111111', 'Developer')).rejects.toMatchObject({
      code: 'malformed_response',
      operation: 'GetRoleCredentials',
      message: expect.stringContaining('not valid JSON'),
    });
  });

  it('reports a truncated body as malformed_response saying it was cut short', async () => {
    const { h, accessToken } = await signedIn({ timing: { maxAttempts: 1 } });
    await h.admin('POST', 'faults', { operation: 'GetRoleCredentials', count: 1, body: 'truncated' });
    await expect(h.portal.getRoleCredentials(accessToken, '111111111111', 'Developer')).rejects.toMatchObject({
      code: 'malformed_response',
      message: expect.stringContaining('cut short'),
    });
  });

  it('re-reads a truncated body of a repeatable call', async () => {
    const { h, accessToken } = await signedIn();
    await h.admin('POST', 'faults', { operation: 'GetRoleCredentials', count: 1, body: 'truncated' });
    await expect(h.portal.getRoleCredentials(accessToken, '111111111111', 'Developer')).resolves.toMatchObject({
      accessKeyId: expect.any(String),
    });
  });
});
