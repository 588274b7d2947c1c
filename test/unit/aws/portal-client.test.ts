import { afterEach, describe, expect, it } from 'vitest';
import { PortalClient } from '../../../main/aws/portal-client';
import { closeStubTransports, stubTransport } from './support/stub-transport';
import { sendJson, sendPortalError, type StubHandler, type StubServer } from './support/stub-server';

let stub: StubServer | undefined;

afterEach(closeStubTransports);

async function portalAgainst(handler: StubHandler): Promise<PortalClient> {
  const made = await stubTransport(handler);
  stub = made.stub;
  return new PortalClient(made.transport);
}

/** Serves `total` accounts in pages of `max_result`, with the page number as the token. */
function pagedAccounts(total: number): StubHandler {
  return (request, res) => {
    const url = new URL(request.url, 'http://stub');
    const pageSize = Number(url.searchParams.get('max_result'));
    const start = Number(url.searchParams.get('next_token') ?? '0');
    const accountList = Array.from({ length: Math.min(pageSize, total - start) }, (_v, i) => ({
      accountId: String(100_000_000_000 + start + i),
      accountName: `Account ${start + i}`,
      emailAddress: `a${start + i}@example.com`,
    }));
    const next = start + pageSize;
    sendJson(res, 200, next < total ? { accountList, nextToken: String(next) } : { accountList });
  };
}

describe('PortalClient', () => {
  it('sends the access token in x-amz-sso_bearer_token and asks for 100 per page', async () => {
    const portal = await portalAgainst(pagedAccounts(3));
    await portal.listAccounts('the-access-token');
    const [request] = stub?.requests ?? [];
    expect(request?.method).toBe('GET');
    expect(request?.headers['x-amz-sso_bearer_token']).toBe('the-access-token');
    expect(request?.url).toBe('/assignment/accounts?max_result=100');
  });

  it('collects every page of 250 accounts in three requests', async () => {
    const portal = await portalAgainst(pagedAccounts(250));
    const accounts = await portal.listAccounts('t');
    expect(accounts).toHaveLength(250);
    expect(new Set(accounts.map((a) => a.accountId)).size).toBe(250);
    expect(stub?.requests.map((r) => r.url)).toEqual([
      '/assignment/accounts?max_result=100',
      '/assignment/accounts?next_token=100&max_result=100',
      '/assignment/accounts?next_token=200&max_result=100',
    ]);
  });

  it('lists roles of one account across pages', async () => {
    const portal = await portalAgainst((request, res) => {
      const url = new URL(request.url, 'http://stub');
      if (url.searchParams.get('next_token') === null) sendJson(res, 200, { roleList: [{ accountId: '111111111111', roleName: 'A' }], nextToken: 'p2' });
      else sendJson(res, 200, { roleList: [{ accountId: '111111111111', roleName: 'B' }], nextToken: null });
    });
    await expect(portal.listAccountRoles('t', '111111111111')).resolves.toEqual([
      { accountId: '111111111111', roleName: 'A' },
      { accountId: '111111111111', roleName: 'B' },
    ]);
    expect(stub?.requests[0]?.url).toBe('/assignment/roles?account_id=111111111111&max_result=100');
  });

  it('rejects a role list whose role name would inject a profile into the AWS config', async () => {
    const injection = 'R\n[profile evil]\ncredential_process = touch /tmp/pwned';
    const portal = await portalAgainst((_r, res) => sendJson(res, 200, { roleList: [{ accountId: '111111111111', roleName: injection }] }));
    const error: unknown = await portal.listAccountRoles('t', '111111111111').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'malformed_response', operation: 'ListAccountRoles', message: expect.stringContaining("'roleList[0].roleName'") });
    expect(JSON.stringify(error)).not.toContain('evil');
  });

  it('rejects an account list whose account id is not 12 digits', async () => {
    const portal = await portalAgainst((_r, res) => sendJson(res, 200, { accountList: [{ accountId: '111111111111\n[profile evil]', accountName: 'Dev' }] }));
    await expect(portal.listAccounts('t')).rejects.toMatchObject({ code: 'malformed_response', message: expect.stringContaining("'accountList[0].accountId'") });
  });

  it('fails with malformed_response when the server repeats a page token forever', async () => {
    const portal = await portalAgainst((_r, res) => sendJson(res, 200, { roleList: [], nextToken: 'same' }));
    await expect(portal.listAccountRoles('t', '1')).rejects.toMatchObject({ code: 'malformed_response' });
  });

  it('returns role credentials with the expiration as epoch milliseconds', async () => {
    const portal = await portalAgainst((_r, res) =>
      sendJson(res, 200, { roleCredentials: { accessKeyId: 'AKIA', secretAccessKey: 'sk', sessionToken: 'st', expiration: 1_767_225_600_000 } }),
    );
    await expect(portal.getRoleCredentials('t', '111111111111', 'Developer')).resolves.toEqual({
      accessKeyId: 'AKIA',
      secretAccessKey: 'sk',
      sessionToken: 'st',
      expiration: 1_767_225_600_000,
    });
    expect(stub?.requests[0]?.url).toBe('/federation/credentials?role_name=Developer&account_id=111111111111');
  });

  it.each([
    [401, 'UnauthorizedException', 'unauthorized'],
    [403, 'ForbiddenException', 'forbidden'],
    [404, 'ResourceNotFoundException', 'not_found'],
    [400, 'InvalidRequestException', 'invalid_request'],
  ])('maps a %i %s to %s', async (status, name, code) => {
    const portal = await portalAgainst((_r, res) => sendPortalError(res, status, name));
    await expect(portal.getRoleCredentials('t', '1', 'R')).rejects.toMatchObject({ code, httpStatus: status, awsErrorType: name });
  });

  it('logs out with an empty POST carrying the bearer header', async () => {
    const portal = await portalAgainst((_r, res) => {
      res.writeHead(200);
      res.end();
    });
    await portal.logout('t');
    expect(stub?.requests[0]).toMatchObject({ method: 'POST', url: '/logout', body: '' });
    expect(stub?.requests[0]?.headers['x-amz-sso_bearer_token']).toBe('t');
  });

  it('treats logout with an already invalid token as done', async () => {
    const portal = await portalAgainst((_r, res) => sendPortalError(res, 401, 'UnauthorizedException'));
    await expect(portal.logout('t')).resolves.toBeUndefined();
  });
});
