import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { isLatchkeyError, LatchkeyError } from '../core/errors';
import type { Disposable } from '../core/lifecycle';
import type { Logger } from '../core/logger';
import {
  AGENT_HEADERS_TIMEOUT_MS,
  AGENT_KEEP_ALIVE_TIMEOUT_MS,
  AGENT_REQUEST_TIMEOUT_MS,
  AGENT_SHUTDOWN_GRACE_MS,
  SILENT_CONNECTION_TIMEOUT_MS,
} from '../core/time-windows';
import { limitConnections, type ConnectionLimits } from '../net/connection-limits';
import { answerClientError } from './client-error-answer';
import { errorBody } from './error-status';
import { sendError, sendJson } from './json-response';
import { readJsonBody } from './request-body';
import type { Router } from './router';
import { claimSocket, type SocketClaim } from './socket-ownership';

/** The bounds docs/agent-api.md promises; tests shrink the time windows. */
export interface AgentServerLimits extends ConnectionLimits {
  /** Requests are small JSON objects; 64 KiB is far above any real one and caps memory per request. */
  maxBodyBytes: number;
  /** Node's default is 16 KiB as well; stated so a runtime change cannot widen it. */
  maxHeaderBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  shutdownGraceMs: number;
}

export const DEFAULT_AGENT_LIMITS: AgentServerLimits = {
  maxBodyBytes: 64 * 1024,
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: AGENT_HEADERS_TIMEOUT_MS,
  requestTimeoutMs: AGENT_REQUEST_TIMEOUT_MS,
  keepAliveTimeoutMs: AGENT_KEEP_ALIVE_TIMEOUT_MS,
  // The cap bounds file descriptors (one per connection). It is sized for bursts, not the
  // usual few dozen: parallel jobs that each run the AWS CLI (xargs -P, Terraform with
  // many providers, a CI runner's matrix) call credential_process together, and 1,000
  // at once must all be answered (test/reliability/load.test.ts; at 256 all but a few of
  // them were closed unanswered). Every connection over the cap but one that is answered
  // and read still displaces an idle or unread one, so a flood holds at most this many.
  maxConnections: 2048,
  silentConnectionTimeoutMs: SILENT_CONNECTION_TIMEOUT_MS,
  shutdownGraceMs: AGENT_SHUTDOWN_GRACE_MS,
};

export interface AgentServerOptions {
  socketPath: string;
  mayFixDirectory: boolean;
  router: Router;
  logger: Logger;
  limits?: Partial<AgentServerLimits>;
}

/**
 * HTTP/1.1 with JSON on the agent's socket, bounded in size, time and connections.
 * Nothing a client sends can stop it: malformed HTTP gets a 400 and a closed connection,
 * a handler's failure becomes an error body, and the server keeps serving.
 */
export class AgentServer implements Disposable {
  private readonly stopping = new AbortController();
  private closed: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly claim: SocketClaim,
    private readonly limits: AgentServerLimits,
  ) {
    // One listener per request in flight, removed when it ends: hundreds at once are
    // normal (the connection cap bounds them), not the leak Node's warning suspects.
    setMaxListeners(0, this.stopping.signal);
  }

  static async start(options: AgentServerOptions): Promise<AgentServer> {
    const limits = { ...DEFAULT_AGENT_LIMITS, ...options.limits };
    const server = createServer({
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // The timeouts above are checked on this period; a shorter one lets small test limits bite promptly.
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(limits.headersTimeoutMs / 4))),
      // Node's check answers a missing Host with a bare 400, no error body. A Unix socket
      // has no host to check (DNS rebinding needs TCP), so such a request is served.
      requireHostHeader: false,
    });
    // Node's own answer to an Expect it does not know is a bare 417; callers read the usual error body.
    server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) =>
      sendJson(response, 417, errorBody('invalid_request', 'The agent takes no Expect header but 100-continue.'), { Connection: 'close' }),
    );
    limitConnections(server, limits, {
      // Requests arrive only once the socket is claimed, when agentServer (below) exists.
      onRequest: (request, response) => void agentServer.handle(request, response, options),
      onRefused: () =>
        options.logger.warn('Connection refused: every connection to the agent is being answered', { limit: limits.maxConnections }),
    });
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, options.logger));
    const claim = await claimSocket(server, { socketPath: options.socketPath, mayFixDirectory: options.mayFixDirectory });
    const agentServer = new AgentServer(server, claim, limits);
    return agentServer;
  }

  get socketPath(): string {
    return this.claim.socketPath;
  }

  /** Aborts when the server begins to stop; long waits listen to it. */
  get stoppingSignal(): AbortSignal {
    return this.stopping.signal;
  }

  /**
   * Stops accepting, lets answers in flight finish for a short grace, then cuts what is
   * left and removes the socket file. Safe to call twice.
   */
  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  dispose(): Promise<void> {
    return this.close();
  }

  private async shutDown(): Promise<void> {
    this.stopping.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const grace = setTimeout(() => this.server.closeAllConnections(), this.limits.shutdownGraceMs);
    try {
      await closed;
    } finally {
      clearTimeout(grace);
      await this.claim.dispose();
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse, options: AgentServerOptions): Promise<void> {
    const { logger, router } = options;
    const aborted = new AbortController();
    const onGone = (): void => aborted.abort();
    response.once('close', onGone);
    this.stopping.signal.addEventListener('abort', onGone, { once: true });
    try {
      const url = requestUrl(request.url ?? '/');
      const { handler, params, options: route } = router.match(request.method ?? 'GET', url.pathname);
      const body = await readJsonBody(request, route.maxBodyBytes ?? this.limits.maxBodyBytes);
      const result = await handler({ params, query: url.searchParams, body, signal: aborted.signal, raw: request }, response);
      if (result !== 'streaming') sendJson(response, result.status, result.body, result.headers);
    } catch (error) {
      // An unread body would otherwise be drained from a client that may never stop sending.
      const close = isLatchkeyError(error, 'payload_too_large') || !request.complete;
      if (isLatchkeyError(error, 'method_not_allowed')) logger.debug('Method not allowed', { path: request.url?.slice(0, 200) });
      sendError(response, error, logger, close);
    } finally {
      this.stopping.signal.removeEventListener('abort', onGone);
    }
  }
}

/**
 * The request target as a URL. Origin-form (`/v1/...`) is read as a path even when it
 * starts with `//`, which a base URL would take for a host (`//x/v1/status` served as
 * `/v1/status`). Node's parser lets through targets the URL parser refuses (`//[`,
 * `http://[::1`, a port over 65535); those are the caller's mistake, not the agent's failure.
 */
function requestUrl(target: string): URL {
  try {
    return target.startsWith('/') ? new URL(`http://latchkey${target}`) : new URL(target, 'http://latchkey');
  } catch {
    throw new LatchkeyError('invalid_request', 'The request target is not a valid path.');
  }
}

