import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CREDENTIALS_MIN_TTL_MS } from '../../../main/core/time-windows';
import { AWS_CONFIG, AgentHarness } from './agent-harness';

let harness: AgentHarness;

beforeEach(async () => {
  harness = await AgentHarness.start();
});

afterEach(async () => {
  await harness.close();
});

function expectCredentials(body: unknown, accountId: string): void {
  expect(body).toEqual({
    AccessKeyId: expect.any(String),
    SecretAccessKey: expect.any(String),
    SessionToken: expect.any(String),
    Expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    AccountId: accountId,
  });
  const expiration = Date.parse((body as { Expiration: string }).Expiration);
  expect(expiration - Date.now()).toBeGreaterThanOrEqual(CREDENTIALS_MIN_TTL_MS);
}

describe('the agent routes', () => {
  it('reports status with the configured sessions and the config problems', async () => {
    const response = await harness.request('GET', '/v1/status');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json).toMatchObject({
      pid: process.pid,
      interactive: false,
      configFile: harness.env.AWS_CONFIG_FILE,
      sessions: [{ name: 'corp', startUrl: 'https://corp.example.com/start', region: 'us-east-1', state: 'signed-out', refreshable: false }],
    });
    expect((response.json as { problems: string[] }).problems.join('\n')).toContain('[profile broken]');
  });

  it('reports the lines the AWS CLI and the JS SDK read differently, and serves on', async () => {
    await harness.close();
    harness = await AgentHarness.start({ config: `${AWS_CONFIG}[profile eu]\nRegion = eu-west-1\n` });
    const response = await harness.request('GET', '/v1/status');
    expect(response.status).toBe(200);
    const { configWarnings, sessions } = response.json as { configWarnings: string[]; sessions: unknown[] };
    expect(configWarnings).toHaveLength(1);
    expect(configWarnings[0]).toMatch(new RegExp(`^${harness.env.AWS_CONFIG_FILE} line \\d+: Region has capital letters; the AWS CLI, botocore and Latchkey read it as region`));
    expect(sessions).toHaveLength(1);
  });

  it('says when the config file does not exist, and leaves the key out when it does', async () => {
    expect((await harness.request('GET', '/v1/status')).json).not.toHaveProperty('configFileMissing');
    await rm(harness.env.AWS_CONFIG_FILE);
    expect((await harness.request('GET', '/v1/status')).json).toMatchObject({ configFileMissing: true, sessions: [] });
  });

  it('refuses POST /v1/shutdown when nothing that runs it takes a stop request', async () => {
    const response = await harness.request('POST', '/v1/shutdown');
    expect(response.status).toBe(409);
    expect(response.json).toMatchObject({ error: { code: 'agent_running' } });
    expect((await harness.request('GET', '/v1/status')).status).toBe(200);
  });

  it('signs in with PKCE through the routes and reports the session signed in', async () => {
    const waited = await harness.signIn();
    expect(waited.status).toBe(200);
    expect(waited.json).toEqual({ state: 'signed-in', accessTokenExpiresAt: expect.stringMatching(/Z$/), refreshable: true });
    expect(harness.openedUrls).toHaveLength(1);
    const status = await harness.request('GET', '/v1/status');
    expect(status.json).toMatchObject({ sessions: [{ name: 'corp', state: 'signed-in', refreshable: true }] });
  });

  it('answers 401 with the login hint for a signed-out session', async () => {
    const response = await harness.request('GET', '/v1/credentials?profile=dev');
    expect(response.status).toBe(401);
    expect(response.json).toEqual({
      // signIn: where the session can be signed in; a headless agent with no sign-in in flight offers nowhere.
      error: { code: 'signed_out', message: 'Session "corp" is not signed in; run "latchkey login --session corp".', signIn: { session: 'corp', app: false } },
    });
  });

  it('hands out credentials by profile and by session, account and role', async () => {
    await harness.signIn();
    const byProfile = await harness.request('GET', '/v1/credentials?profile=dev');
    expect(byProfile.status).toBe(200);
    expect(byProfile.headers['cache-control']).toBe('no-store');
    expectCredentials(byProfile.json, '111111111111');
    const byRole = await harness.request('GET', '/v1/credentials?session=corp&accountId=222222222222&roleName=ReadOnly');
    expect(byRole.status).toBe(200);
    expectCredentials(byRole.json, '222222222222');
  });

  it('answers 200 concurrent credential requests for one role with one GetRoleCredentials', async () => {
    await harness.signIn();
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => harness.request('GET', '/v1/credentials?profile=dev')),
    );
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 200 }, () => 200));
    expect(new Set(responses.map((r) => (r.json as { AccessKeyId: string }).AccessKeyId)).size).toBe(1);
    expect((await harness.calls()).GetRoleCredentials).toBe(1);
  });

  it('lists accounts with their roles', async () => {
    await harness.signIn();
    const response = await harness.request('GET', '/v1/sessions/corp/accounts');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      accounts: expect.arrayContaining([
        expect.objectContaining({ accountId: '111111111111', accountName: 'Development', roles: expect.arrayContaining(['Developer', 'ReadOnly']) }),
        expect.objectContaining({ accountId: '222222222222', accountName: 'Production', roles: ['ReadOnly'] }),
      ]),
    });
  });

  it('hands out the access token with its expiry', async () => {
    await harness.signIn();
    const response = await harness.request('GET', '/v1/sessions/corp/token');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ accessToken: expect.any(String), expiresAt: expect.stringMatching(/Z$/) });
  });

  it('signs a session out, after which credentials need a new sign-in', async () => {
    await harness.signIn();
    const signOut = await harness.request('POST', '/v1/sessions/corp/sign-out');
    expect(signOut.status).toBe(204);
    expect((await harness.calls()).Logout).toBe(1);
    expect((await harness.request('GET', '/v1/credentials?profile=dev')).status).toBe(401);
    expect((await harness.request('POST', '/v1/sessions/corp/sign-in/wait')).status).toBe(401);
  });

  it('signs every session out', async () => {
    await harness.signIn();
    expect((await harness.request('POST', '/v1/sign-out')).status).toBe(204);
    expect((await harness.request('GET', '/v1/status')).json).toMatchObject({ sessions: [{ state: 'signed-out' }] });
  });

  it('answers a wait with no sign-in in flight from the stored state', async () => {
    expect((await harness.request('POST', '/v1/sessions/corp/sign-in/wait')).status).toBe(401);
    await harness.signIn();
    expect((await harness.request('POST', '/v1/sessions/corp/sign-in/wait')).json).toMatchObject({ state: 'signed-in' });
  });

  it.each([
    ['an unknown profile', 'GET', '/v1/credentials?profile=nope', 404, 'not_found'],
    ['a profile with problems', 'GET', '/v1/credentials?profile=broken', 400, 'config_error'],
    ['an unknown session', 'GET', '/v1/sessions/nope/accounts', 404, 'not_found'],
    ['an account id that is not 12 digits', 'GET', '/v1/credentials?session=corp&accountId=1234&roleName=Dev', 400, 'invalid_request'],
    ['a role name with a slash', 'GET', '/v1/credentials?session=corp&accountId=111111111111&roleName=a%2Fb', 400, 'invalid_request'],
    ['both a profile and a role', 'GET', '/v1/credentials?profile=dev&session=corp&accountId=111111111111&roleName=Dev', 400, 'invalid_request'],
    ['no target at all', 'GET', '/v1/credentials', 400, 'invalid_request'],
    ['a repeated parameter', 'GET', '/v1/credentials?profile=dev&profile=dev', 400, 'invalid_request'],
    ['a negative waitSeconds', 'GET', '/v1/credentials?profile=dev&waitSeconds=-1', 400, 'invalid_request'],
    ['a session name with a control character', 'GET', '/v1/sessions/a%01b/accounts', 400, 'invalid_request'],
    ['a broken percent-encoding', 'GET', '/v1/sessions/%E0%A4%A/accounts', 400, 'invalid_request'],
    ['an unknown route', 'GET', '/v1/nothing-here', 404, 'not_found'],
    ['a path without a version', 'GET', '/status', 404, 'not_found'],
    ['the wrong method', 'DELETE', '/v1/status', 405, 'method_not_allowed'],
  ])('refuses %s', async (_name, method, path, status, code) => {
    const response = await harness.request(method, path);
    expect(response.status).toBe(status);
    expect(response.json).toEqual({ error: { code, message: expect.any(String) } });
  });

  it.each([
    ['an unknown flow', { flow: 'magic' }],
    ['a non-boolean openBrowser', { openBrowser: 'yes' }],
    ['an unknown field', { flo: 'pkce' }],
    ['an array', ['pkce']],
  ])('refuses a sign-in body with %s', async (_name, body) => {
    const response = await harness.request('POST', '/v1/sessions/corp/sign-in', { body });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('applies edits to the AWS config without a restart', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(harness.env.AWS_CONFIG_FILE, '[sso-session other]\nsso_start_url = https://other.example.com/start\nsso_region = eu-west-1\n');
    const response = await harness.request('GET', '/v1/status');
    expect(response.json).toMatchObject({ sessions: [{ name: 'other', region: 'eu-west-1' }] });
  });
});
