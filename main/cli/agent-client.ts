import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { isNamedPipe } from '../agent/socket-path';
import { LatchkeyError } from '../core/errors';
import { isJsonObject } from '../core/json-object';
import { systemErrorCode } from '../core/system-error-code';
import { isLatchkeyErrorCode } from './exit-codes';
import { readSignInNeeded, SignInNeededAnswer } from './sign-in-needed-answer';
import { AGENT_STOPPED, collectAnswer, connectToAgent, socketHttpExchange } from './socket-http';
import { SseParser } from './sse-parser';

/** The agent did not answer on its socket (no file, or a stale one): start one and retry. */
export class AgentUnavailableError extends LatchkeyError {
  constructor(socketPath: string, cause: unknown) {
    super('network_error', `No Latchkey agent answers on ${socketPath}.`, { retryable: true, cause });
    this.name = 'AgentUnavailableError';
  }
}

export interface AgentRequest<T> {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** Longest wait for the whole answer; long-polling routes pass their wait plus a margin. */
  timeoutMs?: number;
  /** Checks the JSON body of a 2xx answer; a 204 passes `undefined`. */
  read: (body: unknown) => T;
  /** More request headers (the AWS config file the command reads). */
  headers?: Readonly<Record<string, string>>;
}

/** A request answered with a server-sent event stream. */
export interface AgentStreamRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

export interface EventStream {
  close(): void;
  /** Settles when the agent ends the stream or `close()` is called. */
  readonly closed: Promise<void>;
}

/**
 * Usual answers take milliseconds; a slow agent (busy keychain, portal call in flight)
 * still answers well inside this. Routes that wait on purpose pass their own budget.
 */
const DEFAULT_TIMEOUT_MS = 30_000;
const CONNECTION_ERRORS = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'ECONNRESET', 'EPIPE']);

/**
 * A client of the agent's socket API (docs/agent-api.md): requests over node:net
 * (socket-http.ts, the credential_process fast path), the event stream over node:http,
 * loaded only by the commands that follow it.
 */
export class AgentClient {
  constructor(readonly socketPath: string) {}

  async call<T>(req: AgentRequest<T>): Promise<T> {
    const response = await this.send(req.method, req.path, req.body, req.timeoutMs ?? DEFAULT_TIMEOUT_MS, req.headers);
    return req.read(response.body);
  }

  /**
   * A request the agent answers with JSON, or, while it works on it, with an event stream
   * (docs/agent-api.md, the accounts route): `progress` events go to `onProgress`, an
   * `error` event is the error it would have answered, and the first other event is the
   * answer, checked by `read`. `timeoutMs` bounds the silence between two events, so a
   * long listing that keeps reporting never times out, and a stalled one still does.
   */
  async callWithProgress<T>(req: AgentRequest<T>, onProgress: (event: unknown) => void): Promise<T> {
    const { request } = await import('node:http');
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const silenceMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => T): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        try {
          resolve(outcome());
        } catch (error) {
          reject(error);
        }
        httpRequest.destroy();
      };
      let connected = false;
      const httpRequest = request({
        createConnection: () => connectToAgent(this.socketPath).once('connect', () => (connected = true)),
        method: req.method,
        path: req.path,
        headers: {
          ...req.headers,
          accept: 'text/event-stream, application/json',
          host: 'latchkey',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      });
      let timer = setTimeout(onSilence, silenceMs);
      function onSilence(): void {
        const seconds = Math.round(silenceMs / 1000);
        finish(() => {
          throw new LatchkeyError('timeout', `The Latchkey agent did not answer within ${seconds} seconds.`);
        });
      }
      const heard = (): void => {
        clearTimeout(timer);
        timer = setTimeout(onSilence, silenceMs);
      };
      // Once connected, a reset is the agent going away mid-request, not "no agent" (socket-http.ts).
      const lost = (error: unknown): LatchkeyError =>
        connected && !(error instanceof LatchkeyError) ? agentStoppedError(this.socketPath, error) : this.connectionError(error);
      httpRequest.on('error', (error) => finish(() => throwError(lost(error))));
      httpRequest.on('response', (res) => {
        heard();
        const status = res.statusCode ?? 0;
        if (!(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          void readBody(res).then(
            (text) => finish(() => (status >= 200 && status <= 299 ? req.read(text === '' ? undefined : parseJson(text)) : throwError(errorFromAnswer(status, text)))),
            (error: unknown) => finish(() => throwError(lost(error))),
          );
          return;
        }
        const parser = new SseParser();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          heard();
          let events: string[];
          try {
            events = parser.push(chunk);
          } catch (error) {
            // An event over the parser's cap: thrown here, it would be an uncaught exception.
            return finish(() => throwError(error instanceof LatchkeyError ? error : new LatchkeyError('malformed_response', 'The Latchkey agent sent a stream that cannot be read.')));
          }
          for (const data of events) {
            const event = parseJsonEvent(data);
            if (event === undefined) return finish(() => throwError(new LatchkeyError('malformed_response', 'The Latchkey agent sent an event that is not JSON.')));
            if (event['type'] === 'progress') onProgress(event);
            else if (event['type'] === 'error') return finish(() => throwError(errorFromEvent(event)));
            else return finish(() => req.read(event));
          }
        });
        // The stream ended (or broke) before its answer: the agent went away mid-request.
        res.on('close', () => finish(() => throwError(agentStoppedError(this.socketPath))));
      });
      httpRequest.end(payload);
    });
  }

  /** Follows `GET /v1/events`; resolves once the agent has accepted the stream. */
  openEvents(onEvent: (event: unknown) => void): Promise<EventStream> {
    return this.openStream({ method: 'GET', path: '/v1/events' }, onEvent);
  }

  /**
   * Sends a request that the agent answers with a server-sent event stream (`GET /v1/events`,
   * `POST /v1/exec-endpoints`); resolves once the agent has accepted it with a 2xx, and
   * passes the `data` of each event to `onEvent` until the stream ends or is closed.
   */
  async openStream(req: AgentStreamRequest, onEvent: (event: unknown) => void): Promise<EventStream> {
    const { request } = await import('node:http');
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    return new Promise((resolve, reject) => {
      const httpRequest = request({
        // The same trust check as every other request (socket-http.ts). No `agent`:
        // node:http uses createConnection only when there is none.
        createConnection: () => connectToAgent(this.socketPath),
        method: req.method,
        path: req.path,
        headers: { accept: 'text/event-stream', host: 'latchkey', ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      });
      const timer = setTimeout(() => {
        httpRequest.destroy(new LatchkeyError('timeout', `The Latchkey agent did not answer within ${Math.round(DEFAULT_TIMEOUT_MS / 1000)} seconds.`));
      }, DEFAULT_TIMEOUT_MS);
      let settle: () => void = () => undefined;
      const closed = new Promise<void>((done) => (settle = done));
      httpRequest.on('error', (error) => {
        clearTimeout(timer);
        settle();
        reject(this.connectionError(error));
      });
      httpRequest.on('close', () => {
        clearTimeout(timer);
        settle();
      });
      httpRequest.on('response', (res) => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          void readBody(res).then((text) => reject(errorFromAnswer(status, text)), reject);
          return;
        }
        const parser = new SseParser();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          try {
            for (const data of parser.push(chunk)) onEvent(parseJson(data));
          } catch (error) {
            // An event that is not JSON ends the stream, not the process.
            httpRequest.destroy(error instanceof Error ? error : undefined);
          }
        });
        res.on('end', settle);
        res.on('error', settle);
        res.on('close', settle);
        resolve({ close: () => httpRequest.destroy(), closed });
      });
      httpRequest.end(payload);
    });
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    timeoutMs: number,
    extraHeaders: Readonly<Record<string, string>> = {},
  ): Promise<{ status: number; body: unknown }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { ...extraHeaders, Host: 'latchkey', Accept: 'application/json' };
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    let answer;
    try {
      answer = await socketHttpExchange(this.socketPath, { method, path, headers, timeoutMs, ...(payload !== undefined ? { body: payload } : {}) });
    } catch (error) {
      throw this.connectionError(error);
    }
    const { status, text } = answer;
    if (status < 200 || status > 299) throw errorFromAnswer(status, text);
    if (status === 204 || text === '') return { status, body: undefined };
    return { status, body: parseJson(text) };
  }

  private connectionError(error: unknown): LatchkeyError {
    if (error instanceof LatchkeyError) return error;
    const code = systemErrorCode(error) ?? '';
    if (code === AGENT_STOPPED) return agentStoppedError(this.socketPath, error);
    if (CONNECTION_ERRORS.has(code)) return new AgentUnavailableError(this.socketPath, error);
    if (code === 'EACCES' || code === 'EPERM') {
      return new LatchkeyError('forbidden', `The Latchkey agent socket ${this.socketPath} belongs to another user.`, { cause: error });
    }
    return new LatchkeyError('network_error', `Cannot talk to the Latchkey agent on ${this.socketPath}.`, { cause: error });
  }
}

/**
 * Not AgentUnavailableError: the request may have started something (a sign-in), so it is
 * not sent again behind the user's back; the person runs the command again.
 */
export function agentStoppedError(socketPath: string, cause?: unknown): LatchkeyError {
  const log = isNamedPipe(socketPath) ? '' : ` (its log: ${join(dirname(socketPath), 'agent.log')})`;
  return new LatchkeyError('network_error', `The Latchkey agent stopped before it answered${log}; run the command again, which starts a new agent.`, { cause });
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const answer = collectAnswer(res);
    res.on('end', () => resolve(answer().toString('utf8')));
    res.on('error', reject);
  });
}

function throwError(error: LatchkeyError): never {
  throw error;
}

function parseJsonEvent(data: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(data);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `{"type":"error","status":401,"error":{...}}`: the answer the route would have sent as JSON. */
function errorFromEvent(event: Record<string, unknown>): LatchkeyError {
  const status = typeof event['status'] === 'number' && Number.isInteger(event['status']) ? event['status'] : 500;
  return errorFromAnswer(status, JSON.stringify({ error: event['error'] }));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new LatchkeyError('malformed_response', 'The Latchkey agent sent an answer that is not JSON.', { cause: error });
  }
}

/** `{"error":{"code","message"}}` back into the LatchkeyError the agent threw. */
export function errorFromAnswer(status: number, text: string): LatchkeyError {
  let code = '';
  let message = '';
  let signIn: unknown;
  try {
    const parsed: unknown = JSON.parse(text);
    const error = isJsonObject(parsed) ? parsed['error'] : undefined;
    if (isJsonObject(error)) {
      code = typeof error['code'] === 'string' ? error['code'] : '';
      message = typeof error['message'] === 'string' ? error['message'] : '';
      signIn = error['signIn'];
    }
  } catch {
    // Not JSON: fall through to the status.
  }
  if (message === '') message = `The Latchkey agent answered with HTTP ${status}.`;
  const needed = code === 'signed_out' ? readSignInNeeded(signIn) : undefined;
  if (needed !== undefined) return new SignInNeededAnswer(message, needed);
  if (isLatchkeyErrorCode(code)) return new LatchkeyError(code, message);
  return new LatchkeyError(codeForStatus(status), message);
}

function codeForStatus(status: number): LatchkeyError['code'] {
  if (status === 401) return 'signed_out';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'throttled';
  if (status === 504) return 'timeout';
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'server_error';
}
