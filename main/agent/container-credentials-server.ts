import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LatchkeyError } from '../core/errors';
import type { Disposable } from '../core/lifecycle';
import type { Logger } from '../core/logger';
import { constantTimeEqual } from '../core/pkce';
import type { StoredRoleCredentials } from '../core/session-vault';
import { AGENT_HEADERS_TIMEOUT_MS, AGENT_KEEP_ALIVE_TIMEOUT_MS } from '../core/time-windows';
import type { ContainerCredentialsResponse, CredentialTargetWire, ExecEndpointResponse } from './agent-wire-types';
import { isoTime } from './agent-event';
import { sendError, sendJson } from './json-response';

export interface ContainerCredentialsServerOptions {
  /** Credentials for a binding's target, resolved afresh on every call (config edits apply). */
  credentialsFor: (target: CredentialTargetWire) => Promise<StoredRoleCredentials>;
  logger: Logger;
  /** Bindings open at once; each `latchkey exec` holds one while its command runs. */
  maxBindings?: number;
}

interface Binding {
  token: string;
  target: CredentialTargetWire;
}

const PATH_PREFIX = '/v1/container-credentials/';
/** 128 bits each: an id and a token nobody can guess (docs/agent-api.md). */
const RANDOM_BYTES = 16;
const DEFAULT_MAX_BINDINGS = 1024;

/**
 * The AWS SDKs' container-credentials endpoint for `latchkey exec` (SPEC.md section 8):
 * plain HTTP on 127.0.0.1, one binding per command with its own random token. Every
 * process of the user, and any web page through DNS rebinding, can reach a loopback
 * port, so the token is required and compared in constant time, and a Host header that
 * is not this loopback address and port is refused. The port opens with the first
 * binding and closes with the agent.
 */
export class ContainerCredentialsServer implements Disposable {
  private readonly bindings = new Map<string, Binding>();
  private server: Promise<{ server: Server; port: number }> | undefined;
  private disposed = false;

  constructor(private readonly options: ContainerCredentialsServerOptions) {}

  async create(target: CredentialTargetWire): Promise<ExecEndpointResponse> {
    if (this.disposed) throw new LatchkeyError('cancelled', 'The agent is stopping.');
    if (this.bindings.size >= (this.options.maxBindings ?? DEFAULT_MAX_BINDINGS)) {
      throw new LatchkeyError('throttled', 'Too many latchkey exec endpoints are open; end some of the running commands.');
    }
    const { port } = await this.listening();
    const id = randomBytes(RANDOM_BYTES).toString('base64url');
    const token = randomBytes(RANDOM_BYTES * 2).toString('base64url');
    this.bindings.set(id, { token, target });
    return { id, url: `http://127.0.0.1:${port}${PATH_PREFIX}${id}`, authorizationToken: token };
  }

  /** `false` when there was no such binding. */
  revoke(id: string): boolean {
    return this.bindings.delete(id);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.bindings.clear();
    if (this.server === undefined) return;
    const { server } = await this.server.catch(() => ({ server: undefined }));
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private listening(): Promise<{ server: Server; port: number }> {
    this.server ??= this.listen();
    return this.server;
  }

  private async listen(): Promise<{ server: Server; port: number }> {
    const server = createServer({
      maxHeaderSize: 16 * 1024,
      headersTimeout: AGENT_HEADERS_TIMEOUT_MS,
      requestTimeout: AGENT_HEADERS_TIMEOUT_MS,
      keepAliveTimeout: AGENT_KEEP_ALIVE_TIMEOUT_MS,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.handle(request, response, port).catch((error: unknown) => sendError(response, error, this.options.logger));
    });
    return { server, port };
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
