import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, serveAdmin } from './admin-routes';
import { AUTHORIZE_DECISION_PATH, AUTHORIZE_PATH, showAuthorize, submitAuthorizeDecision } from './authorize-routes';
import { CallbackDelivery } from './callback-delivery';
import { createEmulatorState, type EmulatorState } from './emulator-state';
import { sendJson, sendText } from './http-io';
import { VERIFICATION_PATH } from './oidc-routes';
import { showVerificationPage, submitVerification } from './verification-page';
import { FEDERATION_PATH, findWireRoute, serveOperation } from './wire-operations';

export interface EmulatorOptions {
  /** Default 0: a free port. The emulator binds 127.0.0.1 only. */
  port?: number;
  /** Every device code and authorization request is approved as soon as it is issued. */
  autoApprove?: boolean;
  /** Access token lifetime; default 3600, or 28800 for clients that get no refresh token. */
  tokenTtlSeconds?: number;
  /** Role credentials lifetime; default 3600. */
  credentialsTtlSeconds?: number;
  /** Device-code poll interval; default 1. */
  intervalSeconds?: number;
  /** Default 600. */
  deviceCodeTtlSeconds?: number;
  /** When set, codes, tokens and ids are reproducible. */
  seed?: string;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  validateOptions(options);
  const state = createEmulatorState({
    autoApprove: options.autoApprove ?? false,
    seed: options.seed,
    lifetimes: {
      accessTokenSeconds: options.tokenTtlSeconds,
      roleCredentialsSeconds: options.credentialsTtlSeconds,
      intervalSeconds: options.intervalSeconds,
      deviceCodeSeconds: options.deviceCodeTtlSeconds,
    },
  });
  const callbacks = new CallbackDelivery();
  const closing = new AbortController();
  let baseUrl = '';
  const server = createServer((req, res) => {
    res.setHeader('x-amzn-RequestId', state.ids.uuid('request-id'));
    route(req, res, { state, callbacks, baseUrl, closing: closing.signal }).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: `Emulator failure: ${String(error)}` });
      else res.destroy();
    });
  });
  await listen(server, options.port ?? 0);
  baseUrl = `http://${HOST}:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;
  return {
    baseUrl,
    close(): Promise<void> {
      closed ??= close(server, callbacks, closing);
      return closed;
    },
  };
}

function validateOptions(options: EmulatorOptions): void {
  const checks: [string, number | undefined, number][] = [
    ['port', options.port, 0],
    ['tokenTtlSeconds', options.tokenTtlSeconds, 1],
    ['credentialsTtlSeconds', options.credentialsTtlSeconds, 1],
    ['intervalSeconds', options.intervalSeconds, 0],
    ['deviceCodeTtlSeconds', options.deviceCodeTtlSeconds, 1],
  ];
  for (const [name, value, min] of checks) {
    if (value !== undefined && (!Number.isInteger(value) || value < min || (name === 'port' && value > 65535))) {
      throw new RangeError(`${name} must be an integer, at least ${min}${name === 'port' ? ' and at most 65535' : ''}.`);
    }
  }
}

interface RouteContext {
  readonly state: EmulatorState;
  readonly callbacks: CallbackDelivery;
  readonly baseUrl: string;
  readonly closing: AbortSignal;
}

async function route(req: IncomingMessage, res: ServerResponse, context: RouteContext): Promise<void> {
  const { state, baseUrl } = context;
  const url = new URL(req.url ?? '/', baseUrl);
  const method = req.method ?? 'GET';
  const wireRoute = findWireRoute(method, url);
  if (wireRoute !== undefined) return serveOperation(wireRoute, req, res, state, baseUrl, context.closing);
  if (url.pathname === FEDERATION_PATH) return sendText(res, 400, 'Action must be getSigninToken or login.');
  if (url.pathname.startsWith(ADMIN_PREFIX)) return serveAdmin(req, res, url.pathname, state, context.callbacks);
  if (method === 'GET' && url.pathname === VERIFICATION_PATH) return showVerificationPage(res, url.searchParams);
  if (method === 'POST' && url.pathname === VERIFICATION_PATH) return submitVerification(req, res, state);
  if (method === 'GET' && url.pathname === AUTHORIZE_PATH) return showAuthorize(res, state, url.searchParams);
  if (method === 'POST' && url.pathname === AUTHORIZE_DECISION_PATH) return submitAuthorizeDecision(req, res, state);
  // What AWS front ends answer for a path no operation is bound to.
  sendJson(res, 404, { message: `No operation for ${method} ${url.pathname}`, __type: 'UnknownOperationException' }, {
    'x-amzn-ErrorType': 'UnknownOperationException',
  });
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server, callbacks: CallbackDelivery, closing: AbortController): Promise<void> {
  closing.abort();
  callbacks.close();
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    // Keep-alive sockets would hold close() open until they idle out.
    server.closeAllConnections();
  });
}
