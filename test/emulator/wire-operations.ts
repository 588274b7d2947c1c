import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { EmulatorState } from './emulator-state';
import type { BrokenBody, Fault } from './faults';
import { BodyError, parseJsonObject, readBody, sendEmpty, sendJson } from './http-io';
import { createToken, registerClient, startDeviceAuthorization } from './oidc-routes';
import { isOidcOperation, type OperationName } from './operations';
import { getRoleCredentials, listAccountRoles, listAccounts, logout } from './portal-routes';
import {
  OidcError,
  PortalError,
  sendOidcError,
  sendOidcErrorWithStatus,
  sendOidcThrottled,
  sendPortalError,
  sendPortalErrorWithStatus,
} from './wire-errors';

/** The portal reads the bearer token from this header, not from Authorization. */
const BEARER_HEADER = 'x-amz-sso_bearer_token';

interface OperationContext {
  readonly state: EmulatorState;
  readonly query: URLSearchParams;
  readonly bearer: string | undefined;
  readonly baseUrl: string;
  body(): Promise<Record<string, unknown>>;
}

interface WireRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly operation: OperationName;
  /** The response body, or undefined for an empty 200. */
  handle(context: OperationContext): Promise<unknown>;
}

const WIRE_ROUTES: readonly WireRoute[] = [
  { method: 'POST', path: '/client/register', operation: 'RegisterClient', handle: async (c) => registerClient(c.state, await c.body()) },
  { method: 'POST', path: '/device_authorization', operation: 'StartDeviceAuthorization', handle: async (c) => startDeviceAuthorization(c.state, await c.body(), c.baseUrl) },
  { method: 'POST', path: '/token', operation: 'CreateToken', handle: async (c) => createToken(c.state, await c.body()) },
  { method: 'GET', path: '/assignment/accounts', operation: 'ListAccounts', handle: async (c) => listAccounts(c.state, c.query, c.bearer) },
  { method: 'GET', path: '/assignment/roles', operation: 'ListAccountRoles', handle: async (c) => listAccountRoles(c.state, c.query, c.bearer) },
  { method: 'GET', path: '/federation/credentials', operation: 'GetRoleCredentials', handle: async (c) => getRoleCredentials(c.state, c.query, c.bearer) },
  { method: 'POST', path: '/logout', operation: 'Logout', handle: async (c) => logout(c.state, c.bearer) },
];

export function findWireRoute(method: string, pathname: string): WireRoute | undefined {
  return WIRE_ROUTES.find((route) => route.method === method && route.path === pathname);
}

/**
 * Serves one wire call: count it, apply throttling and any queued fault, then run
 * the operation and send its result or its AWS-shaped error.
 */
export async function serveOperation(
  route: WireRoute,
  req: IncomingMessage,
  res: ServerResponse,
  state: EmulatorState,
  baseUrl: string,
  closing: AbortSignal,
): Promise<void> {
  const { operation } = route;
  state.calls.record(operation);
  if (!state.throttle.admit(operation, state.clock.nowMs())) {
    if (isOidcOperation(operation)) sendOidcThrottled(res);
    else sendPortalError(res, 'TooManyRequestsException', 'Too many requests');
    return;
  }
  const fault = state.faults.take(operation);
  if (fault?.delayMs !== undefined && !(await waitUnlessClosing(fault.delayMs, closing))) return;
  if (fault !== undefined && sendFault(res, operation, fault)) return;

  const bearerHeader = req.headers[BEARER_HEADER];
  const context: OperationContext = {
    state,
    query: new URL(req.url ?? '/', baseUrl).searchParams,
    bearer: typeof bearerHeader === 'string' && bearerHeader !== '' ? bearerHeader : undefined,
    baseUrl,
    body: async () => parseJsonObject(await readBody(req)),
  };
  try {
    const result = await route.handle(context);
    if (result === undefined) sendEmpty(res, 200);
    else sendJson(res, 200, result);
  } catch (error) {
    sendOperationError(res, operation, error);
  }
}

function sendOperationError(res: ServerResponse, operation: OperationName, error: unknown): void {
  if (error instanceof OidcError) sendOidcError(res, error.code, error.message);
  else if (error instanceof PortalError) sendPortalError(res, error.errorName, error.message);
  else if (error instanceof BodyError && isOidcOperation(operation)) sendOidcError(res, 'invalid_request', error.message);
  else if (error instanceof BodyError) sendPortalError(res, 'InvalidRequestException', error.message);
  else if (isOidcOperation(operation)) sendOidcError(res, 'server_error', `Emulator failure: ${String(error)}`);
  else sendPortalError(res, 'InternalServerException', `Emulator failure: ${String(error)}`);
}

/** Sends the fault's error or broken body; false when the fault was only a delay. */
function sendFault(res: ServerResponse, operation: OperationName, fault: Fault): boolean {
  if (fault.status !== undefined) {
    const message = `Injected fault: HTTP ${fault.status}`;
    if (isOidcOperation(operation)) sendOidcErrorWithStatus(res, fault.status, message);
    else sendPortalErrorWithStatus(res, fault.status, message);
    return true;
  }
  if (fault.body !== undefined) {
    sendBrokenBody(res, fault.body);
    return true;
  }
  return false;
}

function sendBrokenBody(res: ServerResponse, kind: BrokenBody): void {
  if (kind === 'malformed') {
    const text = '{"this is":not json<html>';
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  // Promise more bytes than are sent, then drop the connection: a response cut off mid-body.
  const text = '{"partial":"resp';
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) + 256 });
  res.write(text, () => res.socket?.destroy());
}

async function waitUnlessClosing(ms: number, closing: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal: closing });
    return true;
  } catch {
    return false;
  }
}
