import { GetRoleCredentialsCommand, ListAccountsCommand, SSOServiceException } from '@aws-sdk/client-sso';
import { CreateTokenCommand, InvalidGrantException, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { describe, expect, it } from 'vitest';
import { admin, adminJson, adminOk, DEVICE_GRANT, emulatorForTest, oidcClient, registerDeviceClient, rejectionOf, signInWithDeviceCode, ssoClient, START_URL } from './harness';

async function signedIn(): Promise<{ baseUrl: string; accessToken: string }> {
  const emulator = await emulatorForTest({ autoApprove: true });
  const { accessToken } = await signInWithDeviceCode(oidcClient(emulator.baseUrl));
  return { baseUrl: emulator.baseUrl, accessToken };
}

describe('fault injection', () => {
  it('fails the next N calls with the status asked for, then serves normally, counting every call', async () => {
    const { baseUrl, accessToken } = await signedIn();
    const sso = ssoClient(baseUrl);
    await adminOk(baseUrl, 'faults', { operation: 'ListAccounts', count: 2, status: 503 });

    const first = await rejectionOf(sso.send(new ListAccountsCommand({ accessToken })));
    const second = await rejectionOf(sso.send(new ListAccountsCommand({ accessToken })));
    const third = await sso.send(new ListAccountsCommand({ accessToken }));

    for (const error of [first, second]) {
      expect(error).toBeInstanceOf(SSOServiceException);
      expect((error as SSOServiceException).$metadata.httpStatusCode).toBe(503);
      expect((error as SSOServiceException).$fault).toBe('server');
    }
    expect(third.accountList).toHaveLength(2);
    expect((await adminJson<Record<string, number>>(baseUrl, 'calls'))['ListAccounts']).toBe(3);
  });

  it('sends a 500 for a portal operation as an AWS error the SDK can name', async () => {
    const { baseUrl, accessToken } = await signedIn();
    await adminOk(baseUrl, 'faults', { operation: 'GetRoleCredentials', count: 1, status: 500 });

    const error = await rejectionOf(ssoClient(baseUrl).send(new GetRoleCredentialsCommand({ accessToken, accountId: '111111111111', roleName: 'Developer' })));

    expect(error).toBeInstanceOf(SSOServiceException);
    expect((error as SSOServiceException).name).toBe('InternalServerException');
    expect((error as SSOServiceException).$metadata.httpStatusCode).toBe(500);
  });

  it('delays a call long enough for a client timeout to fire', async () => {
    const { baseUrl, accessToken } = await signedIn();
    await adminOk(baseUrl, 'faults', { operation: 'ListAccounts', count: 1, delayMs: 3000 });

    const startedAtMs = Date.now();

    const error = await rejectionOf(ssoClient(baseUrl).send(new ListAccountsCommand({ accessToken }), { abortSignal: AbortSignal.timeout(200) }));

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('AbortError');
    expect(Date.now() - startedAtMs).toBeLessThan(2000);
  });

  it('answers with a body that is not JSON', async () => {
    const { baseUrl, accessToken } = await signedIn();
    await adminOk(baseUrl, 'faults', { operation: 'GetRoleCredentials', count: 1, body: 'malformed' });

    const error = await rejectionOf(ssoClient(baseUrl).send(new GetRoleCredentialsCommand({ accessToken, accountId: '111111111111', roleName: 'Developer' })));

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SSOServiceException);
    expect((await adminJson<unknown[]>(baseUrl, 'issued-credentials'))).toEqual([]);
  });

  it('cuts a response off before its declared Content-Length', async () => {
    const { baseUrl, accessToken } = await signedIn();
    await adminOk(baseUrl, 'faults', { operation: 'GetRoleCredentials', count: 1, body: 'truncated' });

    const error = await rejectionOf(ssoClient(baseUrl).send(new GetRoleCredentialsCommand({ accessToken, accountId: '111111111111', roleName: 'Developer' })));

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SSOServiceException);
  });

  it('clears faults, throttles and call counts on reset, keeping clients and sessions', async () => {
    const { baseUrl, accessToken } = await signedIn();
    await adminOk(baseUrl, 'faults', { operation: 'ListAccounts', count: 5, status: 500 });
    await adminOk(baseUrl, 'throttle', { operation: 'ListAccounts', perSecond: 0 });

    await adminOk(baseUrl, 'reset', {});

    expect(await adminJson<Record<string, number>>(baseUrl, 'calls')).toEqual({
      RegisterClient: 0, StartDeviceAuthorization: 0, CreateToken: 0, ListAccounts: 0, ListAccountRoles: 0, GetRoleCredentials: 0, Logout: 0, GetSigninToken: 0, ConsoleLogin: 0,
    });
    const accounts = await ssoClient(baseUrl).send(new ListAccountsCommand({ accessToken }));
    expect(accounts.accountList).toHaveLength(2);
  });

  it('resets the connection without an answer, then serves normally', async () => {
    const { baseUrl, accessToken } = await signedIn();
    await adminOk(baseUrl, 'faults', { operation: 'ListAccounts', count: 1, body: 'reset' });

    const error = await rejectionOf(ssoClient(baseUrl).send(new ListAccountsCommand({ accessToken })));
    const after = await ssoClient(baseUrl).send(new ListAccountsCommand({ accessToken }));

    expect(error).not.toBeInstanceOf(SSOServiceException);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    expect(after.accountList).toHaveLength(2);
    expect((await adminJson<Record<string, number>>(baseUrl, 'calls'))['ListAccounts']).toBe(2);
  });

  it('drops the default field (accessToken) from the real CreateToken answer, which did spend the device code', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    const oidc = oidcClient(emulator.baseUrl);
    const registration = await registerDeviceClient(oidc);
    const start = await oidc.send(new StartDeviceAuthorizationCommand({ ...registration, startUrl: START_URL }));
    await adminOk(emulator.baseUrl, 'faults', { operation: 'CreateToken', count: 1, body: 'missing-field' });
    const redeem = (): Promise<unknown> => oidc.send(new CreateTokenCommand({ ...registration, grantType: DEVICE_GRANT, deviceCode: start.deviceCode }));

    const answer = (await redeem()) as { accessToken?: string; expiresIn?: number; refreshToken?: string };
    const again = await rejectionOf(redeem());

    expect(answer.accessToken).toBeUndefined();
    expect(answer.expiresIn).toBe(3600);
    expect(answer.refreshToken).toEqual(expect.any(String));
    expect(again).toBeInstanceOf(InvalidGrantException);
  });

  it('limits a CreateToken fault to the grant it names: a refresh fails while a device-code redemption passes it by', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    const oidc = oidcClient(emulator.baseUrl);
    await adminOk(emulator.baseUrl, 'faults', { operation: 'CreateToken', count: 1, status: 500, grantType: 'refresh_token' });

    const signedIn = await signInWithDeviceCode(oidc);
    const refresh = await rejectionOf(
      oidc.send(new CreateTokenCommand({ ...signedIn.registration, grantType: 'refresh_token', refreshToken: signedIn.refreshToken })),
    );
    const again = await oidc.send(new CreateTokenCommand({ ...signedIn.registration, grantType: 'refresh_token', refreshToken: signedIn.refreshToken }));

    expect(signedIn.accessToken).toEqual(expect.any(String));
    expect((refresh as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(500);
    expect(again.accessToken).toEqual(expect.any(String));
    expect((await adminJson<Record<string, number>>(emulator.baseUrl, 'calls'))['CreateToken']).toBe(3);
  });

  it('drops a named nested field of GetRoleCredentials and keeps the rest, the credential issued', async () => {
    const { baseUrl, accessToken } = await signedIn();
    await adminOk(baseUrl, 'faults', { operation: 'GetRoleCredentials', count: 1, body: 'missing-field', field: 'roleCredentials.sessionToken' });

    const answer = await ssoClient(baseUrl).send(new GetRoleCredentialsCommand({ accessToken, accountId: '111111111111', roleName: 'Developer' }));

    expect(answer.roleCredentials?.sessionToken).toBeUndefined();
    expect(answer.roleCredentials?.accessKeyId).toMatch(/^ASIAEMUL/);
    expect(answer.roleCredentials?.secretAccessKey).toEqual(expect.any(String));
    expect(await adminJson<unknown[]>(baseUrl, 'issued-credentials')).toHaveLength(1);
  });

  it.each([
    ['GetRoleCredentials', undefined, (body: Record<string, unknown>) => (body['roleCredentials'] as Record<string, unknown>)['secretAccessKey'], 42],
    ['GetRoleCredentials', 'roleCredentials.expiration', (body: Record<string, unknown>) => (body['roleCredentials'] as Record<string, unknown>)['expiration'], expect.stringMatching(/^\d+$/)],
    ['ListAccounts', undefined, (body: Record<string, unknown>) => body['accountList'], {}],
    ['ListAccounts', 'accountList', (body: Record<string, unknown>) => body['accountList'], {}],
  ])('gives %s field %s a value of another JSON type on the wire', async (operation, field, pick, expected) => {
    const { baseUrl, accessToken } = await signedIn();
    await adminOk(baseUrl, 'faults', { operation, count: 1, body: 'wrong-type', ...(field === undefined ? {} : { field }) });
    const path = operation === 'ListAccounts' ? 'assignment/accounts' : 'federation/credentials?account_id=111111111111&role_name=Developer';

    const response = await fetch(`${baseUrl}/${path}`, { headers: { 'x-amz-sso_bearer_token': accessToken } });

    expect(response.status).toBe(200);
    expect(pick((await response.json()) as Record<string, unknown>)).toEqual(expected);
  });

  it('says so with a plain 500 when the named field is not in the answer, rather than send it unaltered', async () => {
    const { baseUrl, accessToken } = await signedIn();
    await adminOk(baseUrl, 'faults', { operation: 'ListAccounts', count: 1, body: 'missing-field', field: 'noSuchField' });

    const response = await fetch(`${baseUrl}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': accessToken } });

    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/noSuchField/);
  });

  it.each([
    ['a field kind for Logout, which answers no body', { operation: 'Logout', count: 1, body: 'missing-field' }],
    ['a field kind for ConsoleLogin, which answers a redirect', { operation: 'ConsoleLogin', count: 1, body: 'wrong-type', field: 'SigninToken' }],
    ['a field with another body kind', { operation: 'ListAccounts', count: 1, body: 'malformed', field: 'accountList' }],
    ['a field that is not a member path', { operation: 'ListAccounts', count: 1, body: 'missing-field', field: 'accountList[0]' }],
    ['a field that is not a string', { operation: 'ListAccounts', count: 1, body: 'missing-field', field: 7 }],
    ['status with reset', { operation: 'ListAccounts', count: 1, status: 500, body: 'reset' }],
    ['an unknown operation', { operation: 'DescribeThings', count: 1, status: 500 }],
    ['a count of zero', { operation: 'ListAccounts', count: 0, status: 500 }],
    ['no fault at all', { operation: 'ListAccounts', count: 1 }],
    ['an unknown body kind', { operation: 'ListAccounts', count: 1, body: 'garbled' }],
    ['a grant for an operation other than CreateToken', { operation: 'ListAccounts', count: 1, status: 500, grantType: 'refresh_token' }],
    ['an unknown grant', { operation: 'CreateToken', count: 1, status: 500, grantType: 'password' }],
    ['a status outside 400-599', { operation: 'ListAccounts', count: 1, status: 200 }],
  ])('rejects %s with 400 and a message', async (_name, body) => {
    const emulator = await emulatorForTest();

    const response = await admin(emulator.baseUrl, 'POST', 'faults', body);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: expect.any(String) });
  });
});
