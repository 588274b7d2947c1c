import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerCredentialsResponse } from '../../main/agent/agent-wire-types';
import { AgentHarness } from '../integration/agent/agent-harness';
import { HeldBinding, containerGet } from '../integration/agent/exec-binding';
import { CaseCounter, FUZZ_RUNS, SECRET, documentedErrors, expectDocumentedError, fuzzTimeout, hostileText, mostly, rawExchange, tcpSocket } from './fuzz-arbitraries';

const counter = new CaseCounter('fuzz-exec-port');
/** Long enough for a loaded CI machine, short enough that a request left waiting shows as a hang. */
const ANSWER_WITHIN_MS = 2000;
/**
 * The port's own timeouts, shrunk so a request that never ends is closed by the agent
 * well inside the bound above (the real ones are 5 s and 2 s).
 */
const EXEC_PORT_LIMITS = { requestTimeoutMs: 300, silentConnectionTimeoutMs: 100 };
const documented = documentedErrors();

let harness: AgentHarness;
let binding: HeldBinding;
/** What the binding serves to its token: none of it may reach anyone else. */
let credentials: ContainerCredentialsResponse;

beforeAll(async () => {
  harness = await AgentHarness.start({ agent: { execPortLimits: EXEC_PORT_LIMITS } });
  await harness.signIn();
  binding = await HeldBinding.open(harness.socketPath);
  const first = await containerGet(binding.endpoint.url, binding.endpoint.authorizationToken);
  expect(first.status).toBe(200);
  credentials = first.json as ContainerCredentialsResponse;
});

afterAll(async () => {
  counter.record();
  binding.close();
  await harness.close();
});

/** One request as the generator built it, and what the port may answer to it. */
interface ExecCase {
  bytes: Buffer;
  halfClose: boolean;
  /** GET, the binding's path, a loopback Host of this port and the binding's token: the only request credentials may answer. */
  entitled: boolean;
}

/** A character of `text` changed: the smallest difference a token comparison must notice. */
function oneCharOff(text: string): fc.Arbitrary<string> {
  return fc.tuple(fc.nat(text.length - 1), fc.constantFrom('A', 'a', '_', '-', '0', '\u00e9')).map(([at, c]) => {
    const changed = text[at] === c ? 'B' : c;
    return `${text.slice(0, at)}${changed}${text.slice(at + 1)}`;
  });
}

function execCase(): fc.Arbitrary<ExecCase> {
  const { id, authorizationToken: token } = binding.endpoint;
  const port = binding.port;
  const path = `/v1/container-credentials/${id}`;
  const method = mostly(fc.constant('GET'), fc.constantFrom('POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'get', 'CONNECT', 'PRI'));
  const target = mostly(
    fc.constantFrom(path, `${path}?refresh=1`),
    fc.oneof(
      fc.constantFrom(`${path}/`, `${path}#x`, `/v1/container-credentials/`, `/v1/container-credentials`, `//v1/container-credentials/${id}`, `/v1/container-credentials/${id.toUpperCase()}`),
      fc.constantFrom(`/v1/container-credentials/${encodeURIComponent(id).replace(/[A-Za-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`)}`, `http://127.0.0.1:${port}${path}`, '*', '/', '/v1/status'),
      oneCharOff(id).map((other) => `/v1/container-credentials/${other}`),
      hostileText(20).map((text) => `/v1/container-credentials/${text}`),
    ),
  );
  const host = mostly(
    fc.constantFrom(`127.0.0.1:${port}`, `localhost:${port}`),
    fc.constantFrom(undefined, '127.0.0.1', `127.0.0.1:${port + 1}`, 'evil.example', `evil.example:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, `127.0.0.1:${port}.evil.example`),
  );
  const authorization = mostly(
    fc.constantFrom(token, ` ${token} `),
    fc.oneof(
      fc.constantFrom(undefined, '', token.slice(0, -1), `${token}x`, `Bearer ${token}`, token.toLowerCase(), `${token},${token}`, SECRET),
      oneCharOff(token),
      hostileText(30),
    ),
  );
  const extraHeaders = fc.array(
    fc.oneof(fc.constantFrom('Accept: */*', 'Connection: keep-alive', 'Content-Length: 0', 'Content-Length: 5', 'Transfer-Encoding: chunked', `Authorization: ${token}`, 'Authorization: wrong'), hostileText(20).map((text) => `X-Fuzz: ${text}`)),
    { maxLength: 3 },
  );
  const ending = mostly(fc.constant('\r\n'), fc.constantFrom('', '\n', 'trailing bytes', '\r\nGET / HTTP/1.1\r\n\r\n'));
  const structured = fc
    .tuple(method, target, host, authorization, extraHeaders, ending, fc.nat(3))
    .map(([m, t, h, a, extra, end, pick]): ExecCase => {
      const lines = [`${m} ${t} HTTP/1.1`, ...(h === undefined ? [] : [`Host: ${h}`]), ...(a === undefined ? [] : [`Authorization: ${a}`]), ...extra];
      // Node keeps the first of several Authorization headers and trims its value; every other check is exact.
      // A declared body that never comes changes nothing: the port answers on the headers.
      const firstAuthorization = lines.find((line) => line.startsWith('Authorization: '))?.slice('Authorization: '.length).trim();
      const entitled = end === '\r\n' && m === 'GET' && t.split('?')[0] === path && (h === `127.0.0.1:${port}` || h === `localhost:${port}`) && firstAuthorization === token;
      // Mostly left open when whole, so the answer is seen; mostly half-closed when not, so
      // the port learns at once that nothing more comes (the rest wait out its timeouts).
      const halfClose = end === '\r\n' ? pick === 0 : pick !== 0;
      return { bytes: Buffer.from(`${lines.join('\r\n')}\r\n${end}`, 'utf8'), halfClose, entitled };
    });
  const random = fc.tuple(fc.uint8Array({ maxLength: 300 }), fc.nat(3)).map(([bytes, pick]): ExecCase => ({ bytes: Buffer.from(bytes), halfClose: pick !== 0, entitled: false }));
  return fc.oneof({ weight: 5, arbitrary: structured }, { weight: 1, arbitrary: random });
}

function describeCase({ bytes, halfClose }: ExecCase): string {
  return `${JSON.stringify(bytes.toString('latin1').slice(0, 200))}${halfClose ? ' (half-closed)' : ''}`;
}

describe('the exec port under random and malformed requests', () => {
  it('answers credentials only to the exact token on the exact endpoint, never 500 nor the token, within 2 s, and keeps serving the binding', async () => {
    const secrets = [credentials.SecretAccessKey, credentials.Token];
    await fc.assert(fc.asyncProperty(execCase(), counter.count('exec port request', async (request) => {
      const context = describeCase(request);
      const answer = await rawExchange(tcpSocket(binding.port), request.bytes, ANSWER_WITHIN_MS, request.halfClose);
      const text = answer.bytes.toString('latin1');
      expect(text.includes(binding.endpoint.authorizationToken), `${context}: the token is never echoed`).toBe(false);
      if (answer.status === 200) {
        expect(request.entitled, `${context}: credentials only to the exact token`).toBe(true);
        expect(answer.body, context).toBe(JSON.stringify(credentials));
      } else {
        for (const secret of secrets) expect(text.includes(secret), `${context}: no credentials in a refusal`).toBe(false);
        // Every answer, those to bytes Node's parser refuses included, is a documented error body.
        if (answer.status !== undefined) expectDocumentedError(documented, request.bytes, answer, context);
        // A request the port reads whole is answered; a half-close may cut it first.
        else if (request.entitled && !request.halfClose) expect.fail(`${context}: the exact request was not answered`);
      }
      const after = await containerGet(binding.endpoint.url, binding.endpoint.authorizationToken, ANSWER_WITHIN_MS);
      expect(after.status, `${context}: the binding afterwards`).toBe(200);
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(40));
});
