import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentHarness } from '../integration/agent/agent-harness';
import { CaseCounter, FUZZ_RUNS, anyJson, documentedErrors, expectDocumentedError, fuzzTimeout, hostileText, hugeText, mostly, rawExchange, unixSocket, type RawExchange } from './fuzz-arbitraries';

const counter = new CaseCounter('fuzz-agent-socket');
/** Long enough for a loaded CI machine, short enough that a request left waiting shows as a hang. */
const ANSWER_WITHIN_MS = 2000;
const documented = documentedErrors();

let harness: AgentHarness;

beforeAll(async () => {
  harness = await AgentHarness.start();
});

afterAll(async () => {
  counter.record();
  await harness.close();
});

/**
 * Every documented route but POST /v1/shutdown, which would end the run. Without a
 * signed-in session the routes answer from the config and the store, so a case costs
 * milliseconds; a body that happens to start a sign-in is approved by the emulator at once.
 */
const ROUTES: readonly (readonly [string, string])[] = [
  ['GET', '/v1/status'],
  ['POST', '/v1/sessions/:name/sign-in'],
  ['POST', '/v1/sessions/:name/sign-in/wait'],
  ['DELETE', '/v1/sessions/:name/sign-in'],
  ['POST', '/v1/sessions/:name/sign-out'],
  ['POST', '/v1/sign-out'],
  ['GET', '/v1/sessions/:name/accounts'],
  ['GET', '/v1/sessions/:name/token'],
  ['GET', '/v1/credentials'],
  ['POST', '/v1/console'],
  ['POST', '/v1/exec-endpoints'],
  ['GET', '/v1/events'],
];

/** Every UTF-8 byte percent-encoded: a lone surrogate (which encodeURIComponent refuses) arrives as U+FFFD, as from any client. */
function percentEncoded(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

const segment = fc.oneof(
  fc.constantFrom('corp', 'nope', 'dev', '', '..', '%zz', '%', '%00', '%2F', '%E2%80%AE', '%C0%AF'),
  hostileText(12).map(percentEncoded),
  fc.stringMatching(/^[A-Za-z0-9._~-]{1,20}$/),
);

const query = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('profile', 'session', 'accountId', 'roleName', 'refresh', 'checkStore', 'timeoutSeconds', 'accountName'), segment),
      // No timeoutSeconds over 1: a wait while a sign-in runs would sit out the whole time.
      fc.oneof(fc.constantFrom('dev', 'corp', '1', '0', '-1', '1e9', 'NaN', '111111111111', 'Developer', ''), segment),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`));

/** A documented route's path, its parameters filled with odd names, and a random query. */
const routeTarget = fc
  .tuple(fc.constantFrom(...ROUTES), segment, query)
  .map(([[method, pattern], name, search]) => ({ method, target: `${pattern.replace(':name', name)}${search}` }));

const jsonBody = fc.oneof(
  anyJson().map((value) => JSON.stringify(value) ?? ''),
  fc
    .dictionary(fc.constantFrom('profile', 'session', 'accountId', 'accountName', 'roleName', 'flow', 'destination', 'extra'), fc.oneof(fc.constantFrom('dev', 'corp', 'device', '111111111111', 'Developer'), hostileText(10), fc.jsonValue({ maxDepth: 1 })))
    .map((value) => JSON.stringify(value)),
);

const body = fc.oneof(fc.constant(''), jsonBody, hostileText(40), fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('{"flow":', '\uFEFF{}', 'null', '[]'));

const extraHeaders = fc
  .array(
    fc.oneof(
      fc.constantFrom('Content-Type: application/json', 'Content-Type: text/plain', 'Accept: text/event-stream', 'Expect: 100-continue', 'Connection: keep-alive'),
      hostileText(20).map((text) => `Latchkey-Aws-Config-File: ${percentEncoded(text)}`),
      fc.constantFrom('/etc/passwd', '/work/x/../config', 'relative/config', '%zz', '%00').map((value) => `Latchkey-Aws-Config-File: ${value}`),
    ),
    { maxLength: 3 },
  )
  .map((lines) => lines.map((line) => `${line}\r\n`).join(''));

/** A well-framed HTTP/1.1 request to a documented route, the method sometimes another one. */
const validRequest = fc
  .tuple(routeTarget, fc.option(fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS'), { freq: 4 }), extraHeaders, body)
  .map(([{ method, target }, otherMethod, headers, text]) => {
    const bytes = Buffer.from(text, 'utf8');
    const head = `${otherMethod ?? method} ${target} HTTP/1.1\r\nHost: latchkey\r\nConnection: close\r\n${headers}Content-Length: ${bytes.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
  });

const ODD_TARGETS = ['//x', '//[', '//x:99999', 'http://a', 'http://a/v1/status', 'http://[::1', 'http://%/v1/status', 'https://a:0/v1/status?x', '*', '%zz', '/%zz', '/v1/%', 'latchkey:80', '/v1/status#frag', '/v1/../v1/status', '/v1/status?%zz=%&&=', '\\v1\\status', '/v1/st\tatus', ''];

const badHeaderLine = fc.oneof(
  fc.constantFrom('Host: x', 'Host: x\r\nHost: y', 'Content-Length: -1', 'Content-Length: abc', 'Content-Length: 1e3', 'Content-Length: 99999999999999999999', 'Content-Length: 5', 'Content-Length: 3\r\nContent-Length: 4'),
  fc.constantFrom('Transfer-Encoding: chunked', 'Transfer-Encoding: gzip, chunked', 'Transfer-Encoding: chunked\r\nContent-Length: 3', 'Transfer-Encoding: identity', 'Upgrade: websocket\r\nConnection: Upgrade'),
  fc.constantFrom('no colon here', 'Bad Name: x', ': empty name', ' folded continuation', 'X-Nul: a\u0000b', 'X-Del: \u007f'),
  fc.tuple(hostileText(10), hostileText(20)).map(([name, value]) => `${name}: ${value}`),
  hugeText(1000, 20_000).map((text) => `X-Big: ${text}`),
);

const badBody = fc.oneof(
  body,
  fc.constantFrom('3\r\nabc\r\n0\r\n\r\n', 'zz\r\nabc\r\n', '5\r\nab\r\n', 'ffffffffffffffff\r\n', '0\r\nTrailer: x\r\n\r\n', '-1\r\n', '3;ext="\r\nabc\r\n0\r\n\r\n', '\r\n\r\n'),
);

/** A request with parts broken (method, target, version, a header, the framing), or all of it random. */
const malformedRequest = fc.oneof(
  fc
    .tuple(
      mostly(fc.constantFrom('GET', 'POST', 'DELETE'), fc.oneof(fc.constantFrom('PUT', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE', 'PRI', 'get', 'BREW', 'G\u0000T', ''), fc.string({ maxLength: 8 }))),
      mostly(fc.constantFrom(...ODD_TARGETS), fc.oneof(routeTarget.map(({ target }) => target), hostileText(20))),
      mostly(fc.constant('HTTP/1.1'), fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 ', 'HTTP/9.9', 'http/1.1', '')),
      mostly<string[]>(fc.constant(['Host: latchkey']), fc.array(badHeaderLine, { maxLength: 5 })),
      mostly(fc.constant('\r\n'), fc.constantFrom('\n', '\r')),
      badBody,
    )
    .map(([method, target, version, headers, eol, text]) => Buffer.from(`${method} ${target} ${version}${eol}${headers.map((line) => `${line}${eol}`).join('')}${eol}${text}`, 'utf8')),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.tuple(validRequest, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([bytes, at, value]) => {
    const copy = Buffer.from(bytes);
    copy[at % copy.length] = value;
    return copy;
  }),
  fc.tuple(validRequest, fc.nat()).map(([bytes, at]) => bytes.subarray(0, at % bytes.length)),
);

/** Bytes that stop the agent are left out; nothing else is. */
function harmless(bytes: Buffer): boolean {
  return !/shutdown/i.test(bytes.toString('latin1'));
}

async function exchange(bytes: Buffer, halfClose: boolean): Promise<RawExchange> {
  return rawExchange(unixSocket(harness.socketPath), bytes, ANSWER_WITHIN_MS, halfClose);
}

async function expectStillServing(context: string): Promise<void> {
  const status = await harness.request('GET', '/v1/status');
  expect(status.status, `${context}: GET /v1/status afterwards`).toBe(200);
}

function describeBytes(bytes: Buffer): string {
  return JSON.stringify(bytes.toString('latin1').slice(0, 160));
}

describe('the agent socket under random and malformed HTTP', () => {
  it('answers any bytes with a documented error (never 500) or a close, within 2 s, and keeps serving', async () => {
    await fc.assert(fc.asyncProperty(malformedRequest.filter(harmless), counter.count('malformed request', async (bytes) => {
      const context = describeBytes(bytes);
      // Half-closed: the agent learns that no more bytes come, so a request cut short fails now, not at its timeout.
      const answer = await exchange(bytes, true);
      if (answer.status === undefined) {
        // A `100 Continue` may come before the close: the request was read, and the half-close cut its answer.
        const beyondInterim = answer.bytes.toString('latin1').replace(/^(HTTP\/1\.1 1\d\d [^\r]*\r\n\r\n)+/, '');
        expect(beyondInterim, `${context}: closed without an answer, or answered whole`).toBe('');
      } else if (answer.status >= 300) {
        expectDocumentedError(documented, bytes, answer, context);
      }
      await expectStillServing(context);
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(40));

  it('answers well-formed requests to the documented routes with random names, queries and bodies with a documented status and one printable line', async () => {
    await fc.assert(fc.asyncProperty(validRequest.filter(harmless), counter.count('documented route', async (bytes) => {
      const context = describeBytes(bytes);
      const answer = await exchange(bytes, false);
      expect(answer.status, `${context}: answered`).toBeDefined();
      if ((answer.status ?? 0) >= 300) expectDocumentedError(documented, bytes, answer, context);
      else expect([200, 201, 202, 204], `${context}: status`).toContain(answer.status);
      await expectStillServing(context);
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(40));
});
