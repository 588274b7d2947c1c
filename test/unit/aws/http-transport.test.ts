import { afterEach, describe, expect, it } from 'vitest';
import { LATCHKEY_VERSION } from '../../../main/core/version';
import { HttpTransport, type HttpTransportOptions } from '../../../main/aws/http-transport';
import { FakeClock } from '../../support/fake-clock';
import { fixedRandom } from '../../support/fixed-random';
import { sendJson, sendPortalError, startStubServer, type StubHandler, type StubServer } from './support/stub-server';

const CREDENTIALS_BODY = { roleCredentials: { accessKeyId: 'AKIA', secretAccessKey: 's', sessionToken: 't', expiration: 1 } };

let stub: StubServer | undefined;
let transport: HttpTransport | undefined;
let clock: FakeClock;

afterEach(async () => {
  transport?.close();
  await stub?.close();
  stub = undefined;
  transport = undefined;
});

async function setUp(handler: StubHandler, options: Partial<HttpTransportOptions> = {}): Promise<HttpTransport> {
  stub = await startStubServer(handler);
  clock = new FakeClock({ autoAdvance: true });
  transport = new HttpTransport({ baseUrl: stub.baseUrl, env: {}, clock, random: fixedRandom(0.5), ...options });
  return transport;
}

function getCredentials(client: HttpTransport) {
  return client.call({ operation: 'GetRoleCredentials', method: 'GET', path: 'federation/credentials', query: { role_name: 'R', account_id: '1' }, safety: 'repeatable' });
}

/** Answers each request with the next handler in line; the last one repeats. */
function inTurn(...handlers: StubHandler[]): StubHandler {
  let index = 0;
  return (request, res) => {
    const handler = handlers[Math.min(index, handlers.length - 1)];
    index += 1;
    handler?.(request, res);
  };
}

const ok: StubHandler = (_request, res) => sendJson(res, 200, CREDENTIALS_BODY);

describe('HttpTransport', () => {
  it('names latchkey and its version in the User-Agent and speaks JSON', async () => {
    const client = await setUp((_request, res) => sendJson(res, 200, { clientId: 'c', clientSecret: 's', clientIdIssuedAt: 1, clientSecretExpiresAt: 2 }));
    await client.call({ operation: 'RegisterClient', method: 'POST', path: 'client/register', json: { clientName: 'x', clientType: 'public' }, safety: 'repeatable' });
    const [request] = stub?.requests ?? [];
    expect(request?.headers['user-agent']).toBe(`latchkey/${LATCHKEY_VERSION} (node/${process.versions.node}; ${process.platform})`);
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/client/register');
    expect(JSON.parse(request?.body ?? '')).toEqual({ clientName: 'x', clientType: 'public' });
  });

  it('keeps a path prefix of the endpoint URL', async () => {
    stub = await startStubServer(ok);
    transport = new HttpTransport({ baseUrl: `${stub.baseUrl}/prefix`, env: {} });
    await getCredentials(transport);
    expect(stub.requests[0]?.url).toBe('/prefix/federation/credentials?role_name=R&account_id=1');
  });

  it('retries a 500 with backoff and returns the later success', async () => {
    const client = await setUp(inTurn((_r, res) => sendPortalError(res, 500, 'InternalServerException'), ok));
    await expect(getCredentials(client)).resolves.toEqual(CREDENTIALS_BODY);
    expect(stub?.requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([125]);
  });

  it('retries a 429 throttle and recovers', async () => {
    const throttled: StubHandler = (_r, res) => sendPortalError(res, 429, 'TooManyRequestsException');
    const client = await setUp(inTurn(throttled, throttled, throttled, ok));
    await expect(getCredentials(client)).resolves.toEqual(CREDENTIALS_BODY);
    expect(clock.sleeps).toEqual([125, 250, 500]);
  });

  it('gives up after the attempt limit with the last typed error', async () => {
    const client = await setUp((_r, res) => sendPortalError(res, 503, 'ServiceUnavailableException'), { timing: { maxAttempts: 3 } });
    await expect(getCredentials(client)).rejects.toMatchObject({ code: 'server_error', httpStatus: 503, requestId: '00000000-0000-4000-8000-00000000002b', retryable: true });
    expect(stub?.requests).toHaveLength(3);
  });

  it('does not retry a 4xx answer', async () => {
    const client = await setUp((_r, res) => sendPortalError(res, 403, 'ForbiddenException'));
    await expect(getCredentials(client)).rejects.toMatchObject({ code: 'forbidden', httpStatus: 403 });
    expect(stub?.requests).toHaveLength(1);
  });

  it('reports a refused connection as a retryable network_error after retrying', async () => {
    const client = await setUp(ok, { timing: { maxAttempts: 2 } });
    await stub?.close();
    await expect(getCredentials(client)).rejects.toMatchObject({ code: 'network_error', networkCode: 'ECONNREFUSED', retryable: true });
    expect(clock.sleeps).toHaveLength(1);
  });

  it('turns a response slower than the request timeout into timeout', async () => {
    const client = await setUp((_r, res) => setTimeout(() => ok(_r, res), 2_000).unref(), { timing: { requestTimeoutMs: 100, maxAttempts: 1 } });
    await expect(getCredentials(client)).rejects.toMatchObject({ code: 'timeout', retryable: true, operation: 'GetRoleCredentials' });
  });

  it('recovers from one slow response by retrying a repeatable call', async () => {
    const slow: StubHandler = (r, res) => setTimeout(() => ok(r, res), 2_000).unref();
    const client = await setUp(inTurn(slow, ok), { timing: { requestTimeoutMs: 100 } });
    await expect(getCredentials(client)).resolves.toEqual(CREDENTIALS_BODY);
  });

  it('reports a body cut short of its Content-Length as malformed_response', async () => {
    const client = await setUp(
      (_r, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
        res.write('{"roleCredentials":{"accessKeyId"');
        setTimeout(() => res.destroy(), 10);
      },
      { timing: { maxAttempts: 1 } },
    );
    await expect(getCredentials(client)).rejects.toMatchObject({ code: 'malformed_response', message: expect.stringContaining('cut short') });
  });

  it('reports invalid JSON as malformed_response without retrying', async () => {
    const client = await setUp((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"roleCredentials": nope');
    });
    await expect(getCredentials(client)).rejects.toMatchObject({ code: 'malformed_response', httpStatus: 200 });
    expect(stub?.requests).toHaveLength(1);
  });

  it('reports a wrong-typed field as malformed_response naming operation and field', async () => {
    const client = await setUp((_r, res) => sendJson(res, 200, { roleCredentials: { ...CREDENTIALS_BODY.roleCredentials, expiration: 'tomorrow' } }));
    await expect(getCredentials(client)).rejects.toMatchObject({
      code: 'malformed_response',
      message: "GetRoleCredentials response field 'roleCredentials.expiration' is not a number",
    });
  });

  it('does not follow redirects', async () => {
    const client = await setUp((_r, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    });
    await expect(getCredentials(client)).rejects.toMatchObject({ httpStatus: 302 });
    expect(stub?.requests).toHaveLength(1);
  });

  it('stops at once when the caller aborts', async () => {
    const client = await setUp((_r, res) => sendPortalError(res, 500, 'InternalServerException'));
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(
      client.call({ operation: 'Logout', method: 'POST', path: 'logout', safety: 'repeatable', signal: controller.signal }),
    ).rejects.toThrow('shutting down');
  });

  it('rejects an endpoint that is not an http(s) URL as config_error', () => {
    expect(() => new HttpTransport({ baseUrl: 'file:///etc/passwd', env: {} })).toThrow(expect.objectContaining({ code: 'config_error' }));
  });
});
