import { StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { GetRoleCredentialsCommand, ListAccountsCommand } from '@aws-sdk/client-sso';
import { describe, expect, it } from 'vitest';
import { admin, adminOk, emulatorForTest, oidcClient, registerDeviceClient, signInWithDeviceCode, ssoClient, START_URL } from './harness';

describe('admin API', () => {
  it('answers 404 JSON for an unknown admin route', async () => {
    const emulator = await emulatorForTest();

    const response = await admin(emulator.baseUrl, 'GET', 'nothing-here');

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: expect.stringContaining('No admin route') });
  });

  it('applies new lifetimes to what is issued afterwards', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    await adminOk(emulator.baseUrl, 'lifetimes', { accessTokenSeconds: 900, roleCredentialsSeconds: 1200, deviceCodeSeconds: 30, intervalSeconds: 3 });
    const oidc = oidcClient(emulator.baseUrl);
    const registration = await registerDeviceClient(oidc);

    const start = await oidc.send(new StartDeviceAuthorizationCommand({ ...registration, startUrl: START_URL }));
    const signedIn = await signInWithDeviceCode(oidc);
    const before = Date.now();
    const credentials = await ssoClient(emulator.baseUrl).send(new GetRoleCredentialsCommand({
      accessToken: signedIn.accessToken, accountId: '111111111111', roleName: 'ReadOnly',
    }));
    const after = Date.now();

    expect(start).toMatchObject({ expiresIn: 30, interval: 3 });
    expect(signedIn.expiresIn).toBe(900);
    const expiration = credentials.roleCredentials?.expiration ?? 0;
    expect(expiration).toBeGreaterThanOrEqual(before + 1200 * 1000);
    expect(expiration).toBeLessThanOrEqual(after + 1200 * 1000);
  });

  it('sets the client registration lifetime reported in clientSecretExpiresAt (epoch seconds)', async () => {
    const emulator = await emulatorForTest();
    await adminOk(emulator.baseUrl, 'lifetimes', { clientRegistrationSeconds: 7200 });
    const response = await fetch(`${emulator.baseUrl}/client/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientName: 'x', clientType: 'public' }),
    });

    const body = (await response.json()) as { clientIdIssuedAt: number; clientSecretExpiresAt: number };

    expect(body.clientSecretExpiresAt - body.clientIdIssuedAt).toBe(7200);
    expect(Math.abs(body.clientIdIssuedAt - Date.now() / 1000)).toBeLessThan(5);
  });

  it('replaces the directory with the accounts given', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    await adminOk(emulator.baseUrl, 'directory', {
      accounts: [{ accountId: '123456789012', accountName: 'Sandbox', emailAddress: 'sandbox@example.com', roles: ['Admin', 'Viewer'] }],
    });
    const { accessToken } = await signInWithDeviceCode(oidcClient(emulator.baseUrl));

    const accounts = await ssoClient(emulator.baseUrl).send(new ListAccountsCommand({ accessToken }));

    expect(accounts.accountList).toEqual([{ accountId: '123456789012', accountName: 'Sandbox', emailAddress: 'sandbox@example.com' }]);
  });

  it.each([
    ['directory', { accounts: [{ accountId: '12345', accountName: 'x', roles: ['A'] }] }],
    ['directory', { accounts: [{ accountId: '123456789012', accountName: 'x', roles: ['bad role'] }] }],
    ['directory', { accounts: [{ accountId: '123456789012', accountName: 'x', roles: [] }, { accountId: '123456789012', accountName: 'y', roles: [] }] }],
    ['directory', { generate: { accounts: 0, rolesPerAccount: 1 } }],
    ['directory', { something: true }],
    ['lifetimes', { accessTokenSeconds: 0 }],
    ['lifetimes', { tokenSeconds: 10 }],
    ['lifetimes', {}],
    ['throttle', { operation: 'ListAccounts', perSecond: -1 }],
    ['throttle', { operation: 'Nope', perSecond: 1 }],
    ['clock', { advanceSeconds: -5 }],
    ['approve', { code: 'ABCD-EFGH' }],
  ])('rejects a bad %s body with 400 and a message: %j', async (route, body) => {
    const emulator = await emulatorForTest();

    const response = await admin(emulator.baseUrl, 'POST', route, body);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: expect.any(String) });
  });

  it('rejects an admin body that is not JSON with 400', async () => {
    const emulator = await emulatorForTest();

    const response = await fetch(`${emulator.baseUrl}/_emulator/clock`, { method: 'POST', body: 'soon' });

    expect(response.status).toBe(400);
  });

  it('sets x-amzn-RequestId on every response', async () => {
    const emulator = await emulatorForTest();

    const responses = await Promise.all([
      admin(emulator.baseUrl, 'GET', 'calls'),
      fetch(`${emulator.baseUrl}/device`),
      fetch(`${emulator.baseUrl}/unknown`),
    ]);

    for (const response of responses) expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('closes while a client holds a keep-alive connection open', async () => {
    const emulator = await emulatorForTest();
    await admin(emulator.baseUrl, 'GET', 'calls');

    await emulator.close();
    await emulator.close();

    await expect(fetch(`${emulator.baseUrl}/_emulator/calls`)).rejects.toThrow();
  });
});
