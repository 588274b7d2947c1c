import got, { RequestError } from 'got';
import { loadCertificateAuthorities } from './ca-bundle';
import type { Environment } from './environment';
import { createHttpAgents } from './http-agents';
import { latchkeyUserAgent } from './user-agent';

export type EndpointProbe =
  | { reached: true; httpStatus: number; dateHeader: string | undefined; receivedAtMs: number }
  | { reached: false; networkCode: string };

/**
 * One GET of `baseUrl` the way HttpTransport sends every call (the same proxy choice from
 * HTTPS_PROXY/HTTP_PROXY and NO_PROXY, the same AWS_CA_BUNDLE, the same User-Agent), to
 * learn whether the endpoint answers at all: any HTTP status counts, since the service
 * has nothing at `/`. The body is never read (a hostile upstream could stream without
 * end): the status line and headers are all it needs. A bad proxy variable or CA bundle
 * throws its config_error, as it would for the agent.
 */
export function probeEndpoint(baseUrl: string, env: Environment, timeoutMs: number, now: () => number = Date.now): Promise<EndpointProbe> {
  const target = new URL(baseUrl);
  const agents = createHttpAgents(target, env);
  const certificateAuthority = loadCertificateAuthorities(env);
  return new Promise<EndpointProbe>((resolve) => {
    const request = got.stream(target, {
      method: 'GET',
      headers: { 'user-agent': latchkeyUserAgent() },
      agent: { http: agents.http, https: agents.https },
      https: certificateAuthority === undefined ? {} : { certificateAuthority },
      retry: { limit: 0 },
      followRedirect: false,
      throwHttpErrors: false,
      timeout: { request: timeoutMs },
    });
    request.once('response', (response: { statusCode: number; headers: Record<string, string | string[] | undefined> }) => {
      const date = response.headers['date'];
      resolve({ reached: true, httpStatus: response.statusCode, dateHeader: typeof date === 'string' ? date : undefined, receivedAtMs: now() });
      request.destroy();
    });
    // got's error carries the request's options; only its code is kept.
    request.on('error', (error: unknown) => resolve({ reached: false, networkCode: error instanceof RequestError ? error.code : 'ERR_UNKNOWN' }));
  }).finally(() => agents.destroy());
}
