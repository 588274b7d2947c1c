import got, { type Got } from 'got';
import { systemClock, type Clock } from '../core/clock';
import { LatchkeyError } from '../core/errors';
import { silentLogger, type Logger } from '../core/logger';
import { loadCertificateAuthorities } from './ca-bundle';
import type { Environment } from './environment';
import { mapErrorResponse, mapRequestFailure, responseTooLarge } from './error-mapping';
import { createHttpAgents, type HttpAgents } from './http-agents';
import { validateResponse, type ResponseShapes } from './response-validation';
import { latchkeyUserAgent } from './user-agent';
import { DEFAULT_RETRY_TIMING, withRetries, type AttemptOutcome, type RetrySafety, type RetrySettings, type RetryTiming } from './with-retries';
import type { AwsOperation } from './wire-types';

/**
 * Every response body, success or error, is cut off past this. IAM Identity Center's
 * answers are small: a token or a registration is under 4 KiB and a ListAccounts page of
 * 100 accounts a few tens of KiB. A mebibyte leaves room for any real page and a proxy's
 * error page, while a hostile upstream streaming gigabytes costs the agent at most this
 * (it once buffered 800 MB into 1.8 GB of RSS, and died with a V8 fatal error past 2 GiB).
 */
export const MAX_RESPONSE_BODY_BYTES = 1024 * 1024;

export interface HttpTransportOptions {
  /** Endpoint base URL, e.g. from `resolveOidcEndpoint`; paths are appended to it. */
  baseUrl: string;
  /** Proxy (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`) and `AWS_CA_BUNDLE` come from here. */
  env: Environment;
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
  /** Overrides of the windows in `http-timing.ts`; tests shrink them. */
  timing?: Partial<RetryTiming>;
}

export interface HttpCall<O extends AwsOperation> {
  operation: O;
  method: 'GET' | 'POST';
  /** Relative to the base URL, without a leading slash: `client/register`. */
  path: string;
  query?: Readonly<Record<string, string | number | undefined>>;
  headers?: Readonly<Record<string, string>>;
  json?: object;
  safety: RetrySafety;
  signal?: AbortSignal;
}

/** Per-call options of the clients: abort a call (and its backoff sleeps) on quit. */
export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * The one configured HTTP client for an IAM Identity Center endpoint: JSON, Latchkey's
 * User-Agent, proxy and CA bundle from the environment, a timeout per attempt, retries
 * with backoff, and every outcome turned into a validated value or an AwsServiceError.
 * `close()` releases its keep-alive sockets.
 */
export class HttpTransport {
  private readonly client: Got;
  private readonly agents: HttpAgents;
  private readonly retry: RetrySettings;

  constructor(options: HttpTransportOptions) {
    const base = parseBaseUrl(options.baseUrl);
    this.agents = createHttpAgents(base, options.env);
    const certificateAuthority = loadCertificateAuthorities(options.env);
    this.retry = {
      ...DEFAULT_RETRY_TIMING,
      ...options.timing,
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
      logger: options.logger ?? silentLogger,
    };
    this.client = got.extend({
      prefixUrl: base.href,
      headers: { 'user-agent': latchkeyUserAgent(), accept: 'application/json' },
      agent: { http: this.agents.http, https: this.agents.https },
      https: certificateAuthority === undefined ? {} : { certificateAuthority },
      // Retries, redirects and status handling are ours: got's retry sleeps on real
      // timers and would retry single-use POSTs blindly.
      retry: { limit: 0 },
      followRedirect: false,
      throwHttpErrors: false,
      responseType: 'text',
      // A body shorter than its Content-Length is a truncated response, not a short one.
      strictContentLength: true,
    });
  }

  /** Sends `call`, retrying as its `safety` allows, and returns the validated body. */
  async call<O extends AwsOperation>(call: HttpCall<O>): Promise<ResponseShapes[O]> {
    return withRetries(call.safety, this.retry, (timeoutMs) => this.attempt(call, timeoutMs), call.signal);
  }

  close(): void {
    this.agents.destroy();
  }

  private async attempt<O extends AwsOperation>(call: HttpCall<O>, timeoutMs: number): Promise<AttemptOutcome<ResponseShapes[O]>> {
    call.signal?.throwIfAborted();
    // Aborted by the caller, or the moment the body (or its announced length) passes the
    // limit, so that got stops reading and closes the connection instead of buffering the
    // rest. Forwarded by hand: AbortSignal.any leaks a little on a long-lived caller signal.
    const abort = new AbortController();
    const forwardAbort = (): void => abort.abort(call.signal?.reason);
    call.signal?.addEventListener('abort', forwardAbort, { once: true });
    let oversized = false;
    let response;
    try {
      const request = this.client(call.path, {
        method: call.method,
        searchParams: definedEntries(call.query),
        headers: call.headers ?? {},
        ...(call.json === undefined ? {} : { json: call.json }),
        timeout: { request: timeoutMs },
        signal: abort.signal,
      });
      request.on('downloadProgress', ({ transferred, total }) => {
        if (transferred <= MAX_RESPONSE_BODY_BYTES && (total ?? 0) <= MAX_RESPONSE_BODY_BYTES) return;
        oversized = true;
        abort.abort();
      });
      response = await request;
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason;
      const { error: mapped, mayHaveReachedServer } = oversized
        ? responseTooLarge(call.operation, MAX_RESPONSE_BODY_BYTES)
        : mapRequestFailure(call.operation, error);
      return { ok: false, failure: { error: mapped, mayHaveTakenEffect: mayHaveReachedServer } };
    } finally {
      call.signal?.removeEventListener('abort', forwardAbort);
    }
    const { statusCode, headers, body } = response;
    if (statusCode >= 200 && statusCode < 300) {
      const requestId = firstValue(headers['x-amzn-requestid']);
      return { ok: true, value: validateResponse(call.operation, body, { operation: call.operation, httpStatus: statusCode, requestId }) };
    }
    const error = mapErrorResponse({ operation: call.operation, httpStatus: statusCode, headers, bodyText: body });
    // 429 and 5xx are the server saying it did not do the work: for 429 and 503 by
    // definition, for 500 by OAuth's contract that a failed token request issues nothing.
    return { ok: false, failure: { error, mayHaveTakenEffect: statusCode < 500 && statusCode !== 429 } };
  }
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new LatchkeyError('config_error', `The IAM Identity Center endpoint '${baseUrl}' is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new LatchkeyError('config_error', `The IAM Identity Center endpoint must be http or https, not ${url.protocol}`);
  }
  return url;
}

function definedEntries(query: HttpCall<AwsOperation>['query']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) result[key] = String(value);
  }
  return result;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
