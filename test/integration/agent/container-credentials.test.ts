import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecEndpointResponse } from '../../../main/agent/agent-wire-types';
import { AgentHarness } from './agent-harness';
import { HeldBinding, within } from './exec-binding';

let harness: AgentHarness;
const held: HeldBinding[] = [];

beforeEach(async () => {
  harness = await AgentHarness.start();
  await harness.signIn();
});

afterEach(async () => {
  for (const binding of held.splice(0)) binding.close();
  await harness.close();
});

async function holdEndpoint(body: object = { profile: 'dev' }): Promise<HeldBinding> {
  const binding = await HeldBinding.open(harness.socketPath, body);
  held.push(binding);
  return binding;
}

async function createEndpoint(body?: object): Promise<ExecEndpointResponse> {
  return (await holdEndpoint(body)).endpoint;
}

/** A GET as the SDKs' container provider sends it, with the Host header under the test's control. */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, json: text === '' ? undefined : JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the container-credentials endpoint', () => {
  it('serves the SDK shape to the right token on 127.0.0.1 and localhost', async () => {
    const endpoint = await createEndpoint();
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/container-credentials\/[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(endpoint.authorizationToken, 'base64url').length).toBeGreaterThanOrEqual(16);
    const port = new URL(endpoint.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const response = await get(endpoint.url, { Authorization: endpoint.authorizationToken, Host: host });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({
        AccessKeyId: expect.any(String),
        SecretAccessKey: expect.any(String),
        Token: expect.any(String),
        Expiration: expect.stringMatching(/Z$/),
        AccountId: '111111111111',
      });
    }
  });

  it('binds an explicit session, account and role', async () => {
    const endpoint = await createEndpoint({ session: 'corp', accountId: '222222222222', roleName: 'ReadOnly' });
    const response = await get(endpoint.url, { Authorization: endpoint.authorizationToken });
    expect(response.json).toMatchObject({ AccountId: '222222222222' });
  });

  it.each([
    ['a wrong token', (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`],
    ['a Bearer token', (token: string) => `Bearer ${token}`],
    ['no token', () => ''],
  ])('answers %s with 403', async (_name, tokenFor) => {
    const endpoint = await createEndpoint();
    const token = tokenFor(endpoint.authorizationToken);
    const response = await get(endpoint.url, token === '' ? {} : { Authorization: token });
    expect(response).toMatchObject({ status: 403, json: { error: { code: 'forbidden' } } });
  });

  it('refuses a Host header that is not loopback (DNS rebinding) with 403', async () => {
    const endpoint = await createEndpoint();
    const port = new URL(endpoint.url).port;
    for (const host of [`evil.example.com:${port}`, '127.0.0.1', `127.0.0.1:${Number(port) + 1}`]) {
      const response = await get(endpoint.url, { Authorization: endpoint.authorizationToken, Host: host });
      expect(response.status).toBe(403);
    }
  });

  it('answers 404 once the binding is revoked, and the token is no use for another binding', async () => {
    const first = await holdEndpoint();
    const second = await createEndpoint();
    expect((await get(second.url, { Authorization: first.endpoint.authorizationToken })).status).toBe(403);
    const id = first.endpoint.url.split('/').pop() ?? '';
    expect(first.endpoint.id).toBe(id);
    first.close();
    await within(2000, async () => (await get(first.endpoint.url, { Authorization: first.endpoint.authorizationToken })).status === 404, 'the binding ends');
  });

  it('has no route to revoke a binding: closing its connection does that', async () => {
    const { id } = await createEndpoint();
    expect((await harness.request('DELETE', `/v1/exec-endpoints/${id}`)).status).toBe(404);
  });

  it('refuses to bind a profile that does not exist', async () => {
    const response = await harness.request('POST', '/v1/exec-endpoints', { body: { profile: 'nope' } });
    expect(response).toMatchObject({ status: 404, json: { error: { code: 'not_found' } } });
  });

  it('answers 401 with the login hint once the session is signed out', async () => {
    const endpoint = await createEndpoint();
    await harness.request('POST', '/v1/sessions/corp/sign-out');
    const response = await get(endpoint.url, { Authorization: endpoint.authorizationToken });
    expect(response).toMatchObject({ status: 401, json: { error: { code: 'signed_out' } } });
  });

  it('stops serving when the agent stops', async () => {
    const endpoint = await createEndpoint();
    await harness.agent.close();
    await expect(get(endpoint.url, { Authorization: endpoint.authorizationToken })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
