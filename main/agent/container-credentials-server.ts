import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LatchkeyError } from '../core/errors';
import type { Disposable } from '../core/lifecycle';
import type { Logger } from '../core/logger';
import { constantTimeEqual } from '../core/pkce';
import type { StoredRoleCredentials } from '../core/session-vault';
import { EXEC_PORT_REQUEST_TIMEOUT_MS, SILENT_CONNECTION_TIMEOUT_MS } from '../core/time-windows';
import type { ContainerCredentialsResponse, CredentialTargetWire, ExecEndpointResponse } from './agent-wire-types';
import { isoTime } from './agent-event';
import { answerClientError } from './client-error-answer';
import type { ConnectionLimits } from '../net/connection-limits';
import { createOneRequestServer, listenOnLoopback, type OneRequestServer } from '../net/one-request-server';
import { sendError, sendJson } from './json-response';

/** The exec port's bounds (docs/agent-api.md); tests shrink them. */
export interface ExecPortLimits extends ConnectionLimits {
  /** The SDKs send one GET without a body, one per connection. */
  requestTimeoutMs: number;
}

export const DEFAULT_EXEC_PORT_LIMITS: ExecPortLimits = {
  // Each running command's SDK holds one connection now and then; the cap bounds the
  // descriptors that any local user, who can reach the port, can make the agent hold.
  maxConnections: 64,
  silentConnectionTimeoutMs: SILENT_CONNECTION_TIMEOUT_MS,
  requestTimeoutMs: EXEC_PORT_REQUEST_TIMEOUT_MS,
};

export interface ContainerCredentialsServerOptions {
  /** Credentials for a binding's target, resolved afresh on every call (config edits apply). */
  credentialsFor: (target: CredentialTargetWire) => Promise<StoredRoleCredentials>;
  logger: Logger;
  /** Bindings open at once; each `latchkey exec` holds one while its command runs. */
  maxBindings?: number;
  limits?: Partial<ExecPortLimits>;
}

/** One binding, held by whoever created it until it is disposed. */
export interface ExecBinding extends Disposable {
  readonly endpoint: ExecEndpointResponse;
  /** Aborts once when the binding ends: disposed by its holder, or by the server's dispose. */
  readonly ended: AbortSignal;
}

interface Binding {
  token: string;
  target: CredentialTargetWire;
  ended: AbortController;
}

interface Listener {
  server: OneRequestServer;
  port: number;
}

const PATH_PREFIX = '/v1/container-credentials/';
/** 128 bits each: an id and a token nobody can guess (docs/agent-api.md). */
const RANDOM_BYTES = 16;
/**
 * Each binding holds one connection to the agent's socket (exec-routes.ts); at half that
 * socket's cap of 256, running commands never take every slot from credential_process.
 */
const DEFAULT_MAX_BINDINGS = 128;

/**
 * The AWS SDKs' container-credentials endpoint for `latchkey exec` (docs/contract.md section 8):
 * plain HTTP on 127.0.0.1, one binding per command with its own random token. Every
 * process of every local user, and any web page through DNS rebinding, can reach a
 * loopback port, so the token is required and compared in constant time, a Host header
 * that is not this loopback address and port is refused, and connections are capped and
 * timed (main/net/connection-limits.ts). The port opens with the first binding and then
 * stays bound for the agent's life: a process the command started may outlive its binding
 * with the URL in its environment, and a port given back could be bound by another user,
 * whose answers that process's SDK would take as credentials. An ended binding gets 404.
 */
export class ContainerCredentialsServer implements Disposable {
  private readonly bindings = new Map<string, Binding>();
  /** Set from the first binding until dispose. */
  private listener: Promise<Listener> | undefined;
  private readonly limits: ExecPortLimits;
  private disposed = false;

  constructor(private readonly options: ContainerCredentialsServerOptions) {
    this.limits = { ...DEFAULT_EXEC_PORT_LIMITS, ...options.limits };
  }

  async create(target: CredentialTargetWire): Promise<ExecBinding> {
    if (this.disposed) throw stopping();
    if (this.bindings.size >= (this.options.maxBindings ?? DEFAULT_MAX_BINDINGS)) {
      throw new LatchkeyError('throttled', 'Too many latchkey exec endpoints are open; end some of the running commands.');
    }
    const id = randomBytes(RANDOM_BYTES).toString('base64url');
    const token = randomBytes(RANDOM_BYTES * 2).toString('base64url');
    const ended = new AbortController();
    this.bindings.set(id, { token, target, ended });
    this.listener ??= this.listen();
    let port: number;
    try {
      ({ port } = await this.listener);
    } catch (error) {
      // The next binding tries to listen again.
      this.listener = undefined;
      this.end(id);
      throw error;
    }
    if (ended.signal.aborted) throw stopping();
    return {
      endpoint: { id, url: `http://127.0.0.1:${port}${PATH_PREFIX}${id}`, authorizationToken: token },
      ended: ended.signal,
      dispose: () => this.end(id),
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const id of [...this.bindings.keys()]) this.end(id);
    const listener = this.listener;
    this.listener = undefined;
    if (listener !== undefined) await listener.then(({ server }) => closeNow(server), () => undefined);
  }

  private end(id: string): void {
    const binding = this.bindings.get(id);
    if (binding === undefined) return;
    this.bindings.delete(id);
    binding.ended.abort();
  }

  private async listen(): Promise<Listener> {
    let port = 0;
    const front = createOneRequestServer(
      { ...this.limits, maxHeaderBytes: 16 * 1024 },
      {
        // Requests arrive only once the server listens, when port (below) is known.
        onRequest: (request, response) => {
          this.handle(request, response, port).catch((error: unknown) => sendError(response, error, this.options.logger));
        },
        // Debug only: anyone on the machine can make this happen as often as they like.
        onRefused: () => this.options.logger.debug('Exec port connection refused: every connection is being answered'),
        // The SDKs read an error body like every other answer of the port's.
        onMalformed: (error, socket) => answerClientError(error, socket, this.options.logger),
      },
    );
    port = await listenOnLoopback(front);
    return { server: front, port };
  }

  private async handle(request: IncomingMessage, response: ServerResponse, port: number): Promise<void> {
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      throw new LatchkeyError('forbidden', 'This endpoint answers only requests addressed to 127.0.0.1 or localhost.');
    }
    if (request.method !== 'GET') throw new LatchkeyError('method_not_allowed', 'The container-credentials endpoint takes GET only.');
    const path = (request.url ?? '').split('?')[0] ?? '';
    const binding = path.startsWith(PATH_PREFIX) ? this.bindings.get(path.slice(PATH_PREFIX.length)) : undefined;
    if (binding === undefined) throw new LatchkeyError('not_found', 'There is no such latchkey exec endpoint; it ended with its command.');
    const authorization = request.headers.authorization ?? '';
    if (!constantTimeEqual(authorization, binding.token)) {
      throw new LatchkeyError('forbidden', 'The Authorization header does not carry this endpoint\'s token.');
    }
    const credentials = await this.options.credentialsFor(binding.target);
    const body: ContainerCredentialsResponse = {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      Token: credentials.sessionToken,
      Expiration: isoTime(credentials.expiresAtMs),
      AccountId: credentials.accountId,
    };
    sendJson(response, 200, body);
  }
}

function stopping(): LatchkeyError {
  return new LatchkeyError('cancelled', 'The agent is stopping.');
}

/** The agent is stopping: nothing on the port is worth finishing, its connections go at once. */
function closeNow(front: OneRequestServer): Promise<void> {
  return new Promise((resolve) => {
    front.server.close(() => resolve());
    front.closeAllConnections();
  });
}
