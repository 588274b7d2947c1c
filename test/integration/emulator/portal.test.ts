import {
  GetRoleCredentialsCommand,
  InvalidRequestException,
  ListAccountRolesCommand,
  ListAccountsCommand,
  paginateListAccountRoles,
  paginateListAccounts,
  ResourceNotFoundException,
  SSOClient,
  SSOServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-sso';
import { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { afterEach, describe, expect, it } from 'vitest';
import { adminJson, adminOk, emulatorForTest, oidcClient, rejectionOf, signInWithDeviceCode, ssoClient } from './harness';

async function signedInPortal(): Promise<{ baseUrl: string; sso: SSOClient; accessToken: string }> {
  const emulator = await emulatorForTest({ autoApprove: true });
  const { accessToken } = await signInWithDeviceCode(oidcClient(emulator.baseUrl));
  return { baseUrl: emulator.baseUrl, sso: ssoClient(emulator.baseUrl), accessToken };
}

describe('portal', () => {
  it('lists the default directory: Development with two roles, Production with one', async () => {
    const { sso, accessToken } = await signedInPortal();

    const accounts = await sso.send(new ListAccountsCommand({ accessToken }));
    const roles = await sso.send(new ListAccountRolesCommand({ accessToken, accountId: '111111111111' }));

    expect(accounts.accountList).toEqual([
      { accountId: '111111111111', accountName: 'Development', emailAddress: 'development@example.com' },
      { accountId: '222222222222', accountName: 'Production', emailAddress: 'production@example.com' },
    ]);
    expect(accounts.nextToken).toBeUndefined();
    expect(roles.roleList).toEqual([
      { roleName: 'Developer', accountId: '111111111111' },
      { roleName: 'ReadOnly', accountId: '111111111111' },
    ]);
  });

  it('pages through hundreds of generated accounts with the SDK paginator', async () => {
    const { baseUrl, sso, accessToken } = await signedInPortal();
    await adminOk(baseUrl, 'directory', { generate: { accounts: 450, rolesPerAccount: 3 } });

    const pageSizes: number[] = [];
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client: sso, pageSize: 100 }, { accessToken })) {
      pageSizes.push(page.accountList?.length ?? 0);
      ids.push(...(page.accountList ?? []).map((account) => account.accountId ?? ''));
    }

    expect(pageSizes).toEqual([100, 100, 100, 100, 50]);
    expect(new Set(ids).size).toBe(450);
    expect(ids.every((id) => /^\d{12}$/.test(id))).toBe(true);
  });

  it('pages account roles with the default page size when max_result is absent', async () => {
    const { baseUrl, sso, accessToken } = await signedInPortal();
    await adminOk(baseUrl, 'directory', { generate: { accounts: 1, rolesPerAccount: 45 } });
    const [account] = (await sso.send(new ListAccountsCommand({ accessToken }))).accountList ?? [];

    const pageSizes: number[] = [];
    for await (const page of paginateListAccountRoles({ client: sso }, { accessToken, accountId: account?.accountId })) {
      pageSizes.push(page.roleList?.length ?? 0);
    }

    expect(pageSizes).toEqual([20, 20, 5]);
  });

  it.each([
    ['a tampered next token', { nextToken: 'eyJvIjoxfQ.AAAA' }],
    ['max_result 0', { maxResults: 0 }],
    ['max_result 101', { maxResults: 101 }],
  ])('rejects %s with InvalidRequestException', async (_name, input) => {
    const { sso, accessToken } = await signedInPortal();

    const error = await rejectionOf(sso.send(new ListAccountsCommand({ accessToken, ...input })));

    expect(error).toBeInstanceOf(InvalidRequestException);
    expect((error as InvalidRequestException).$metadata.httpStatusCode).toBe(400);
  });

  it('rejects a next token from another listing', async () => {
    const { baseUrl, sso, accessToken } = await signedInPortal();
    await adminOk(baseUrl, 'directory', { generate: { accounts: 2, rolesPerAccount: 3 } });
    const first = await sso.send(new ListAccountRolesCommand({ accessToken, accountId: '100000000001', maxResults: 1 }));

    const error = await rejectionOf(sso.send(new ListAccountRolesCommand({ accessToken, accountId: '100000000002', nextToken: first.nextToken })));

    expect(error).toBeInstanceOf(InvalidRequestException);
  });

  it('issues distinct, traceable role credentials with expiration in epoch milliseconds', async () => {
    const { baseUrl, sso, accessToken } = await signedInPortal();
    const before = Date.now();

    const first = await sso.send(new GetRoleCredentialsCommand({ accessToken, accountId: '111111111111', roleName: 'Developer' }));
    const second = await sso.send(new GetRoleCredentialsCommand({ accessToken, accountId: '222222222222', roleName: 'ReadOnly' }));

    const expiration = first.roleCredentials?.expiration ?? 0;
    expect(expiration).toBeGreaterThanOrEqual(before + 3600 * 1000);
    expect(expiration).toBeLessThan(before + 3700 * 1000);
    expect(first.roleCredentials?.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(first.roleCredentials?.accessKeyId).not.toBe(second.roleCredentials?.accessKeyId);
    expect(first.roleCredentials?.secretAccessKey).not.toBe(second.roleCredentials?.secretAccessKey);
    expect(first.roleCredentials?.sessionToken).not.toBe(second.roleCredentials?.sessionToken);
    const issued = await adminJson<{ accessKeyId: string; accountId: string; roleName: string; expiration: number }[]>(baseUrl, 'issued-credentials');
    expect(issued).toEqual([
      { accessKeyId: first.roleCredentials?.accessKeyId, accountId: '111111111111', roleName: 'Developer', expiration },
      { accessKeyId: second.roleCredentials?.accessKeyId, accountId: '222222222222', roleName: 'ReadOnly', expiration: second.roleCredentials?.expiration },
    ]);
  });

  it('answers 403 ForbiddenException "No access" for a role not assigned in the account', async () => {
    const { sso, accessToken } = await signedInPortal();

    const error = await rejectionOf(sso.send(new GetRoleCredentialsCommand({ accessToken, accountId: '222222222222', roleName: 'Developer' })));

    // The SSO model has no ForbiddenException, so the SDK raises its service base class with the wire name.
    expect(error).toBeInstanceOf(SSOServiceException);
    expect((error as SSOServiceException).name).toBe('ForbiddenException');
    expect((error as SSOServiceException).message).toBe('No access');
    expect((error as SSOServiceException).$metadata.httpStatusCode).toBe(403);
  });

  it('answers ResourceNotFoundException for an account not in the directory', async () => {
    const { sso, accessToken } = await signedInPortal();

    const error = await rejectionOf(sso.send(new ListAccountRolesCommand({ accessToken, accountId: '999999999999' })));

    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it('throttles an operation past N calls per second with TooManyRequestsException, until lifted', async () => {
    const { baseUrl, sso, accessToken } = await signedInPortal();
    await adminOk(baseUrl, 'throttle', { operation: 'ListAccountRoles', perSecond: 2 });
    const call = (): Promise<unknown> => sso.send(new ListAccountRolesCommand({ accessToken, accountId: '111111111111' }));

    await call();
    await call();
    const throttled = await rejectionOf(call());
    await adminOk(baseUrl, 'clock', { advanceSeconds: 1 });
    await call();
    await adminOk(baseUrl, 'throttle', { operation: 'ListAccountRoles', perSecond: null });
    await Promise.all([call(), call(), call()]);

    expect(throttled).toBeInstanceOf(TooManyRequestsException);
    expect((throttled as TooManyRequestsException).$metadata.httpStatusCode).toBe(429);
    expect((await adminJson<Record<string, number>>(baseUrl, 'calls'))['ListAccountRoles']).toBe(7);
  });
});

describe('endpoint from the environment', () => {
  const saved = { oidc: process.env['AWS_ENDPOINT_URL_SSO_OIDC'], sso: process.env['AWS_ENDPOINT_URL_SSO'] };

  afterEach(() => {
    if (saved.oidc === undefined) delete process.env['AWS_ENDPOINT_URL_SSO_OIDC'];
    else process.env['AWS_ENDPOINT_URL_SSO_OIDC'] = saved.oidc;
    if (saved.sso === undefined) delete process.env['AWS_ENDPOINT_URL_SSO'];
    else process.env['AWS_ENDPOINT_URL_SSO'] = saved.sso;
  });

  it('serves SDK clients configured only through AWS_ENDPOINT_URL_SSO_OIDC and AWS_ENDPOINT_URL_SSO', async () => {
    const emulator = await emulatorForTest({ autoApprove: true });
    process.env['AWS_ENDPOINT_URL_SSO_OIDC'] = emulator.baseUrl;
    process.env['AWS_ENDPOINT_URL_SSO'] = emulator.baseUrl;
    const oidc = new SSOOIDCClient({ region: 'us-east-1', maxAttempts: 1 });
    const sso = new SSOClient({ region: 'us-east-1', maxAttempts: 1 });

    const { accessToken } = await signInWithDeviceCode(oidc);
    const accounts = await sso.send(new ListAccountsCommand({ accessToken }));

    expect(accounts.accountList).toHaveLength(2);
    expect((await adminJson<Record<string, number>>(emulator.baseUrl, 'calls'))['ListAccounts']).toBe(1);
  });
});
