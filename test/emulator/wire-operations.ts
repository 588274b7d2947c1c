import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { EmulatorState } from './emulator-state';
import { AlterationError, alterAnswer } from './altered-answer';
import type { BrokenBody, Fault } from './faults';
import { consoleLogin, FederationError, getSigninToken, Redirect } from './federation-routes';
import { BodyError, parseJsonObject, readBody, redirect, sendEmpty, sendJson, sendText } from './http-io';
import { createToken, registerClient, startDeviceAuthorization } from './oidc-routes';
import { isFederationOperation, isOidcOperation, type OperationName } from './operations';
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

/** The sign-in federation endpoint, `https://signin.aws.amazon.com/federation` on AWS. */
export const FEDERATION_PATH = '/federation';

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
  /** The federation endpoint is one path whose `Action` query parameter names the operation. */
  readonly action?: string;
  /** The response body, a redirect, or undefined for an empty 200. */
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
  { method: 'GET', path: FEDERATION_PATH, action: 'getSigninToken', operation: 'GetSigninToken', handle: async (c) => getSigninToken(c.state, c.query) },
  { method: 'GET', path: FEDERATION_PATH, action: 'login', operation: 'ConsoleLogin', handle: async (c) => consoleLogin(c.state, c.query) },
];

export function findWireRoute(method: string, url: URL): WireRoute | undefined {
  return WIRE_ROUTES.find(
    (route) => route.method === method && route.path === url.pathname && (route.action === undefined || route.action === url.searchParams.get('Action')),
  );
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
    if (isFederationOperation(operation)) sendText(res, 429, 'Rate exceeded');
    else if (isOidcOperation(operation)) sendOidcThrottled(res);
    else sendPortalError(res, 'TooManyRequestsException', 'Too many requests');
    return;
  }
  // Read once, and first when a fault waits for one grant: the body names the call's grant.
  let body: Promise<Record<string, unknown>> | undefined;
  const readJsonBody = (): Promise<Record<string, unknown>> => (body ??= readBody(req).then(parseJsonObject));
  let fault: Fault | undefined;
  try {
    fault = state.faults.take(operation, state.faults.limitsGrant(operation) ? grantTypeOf(await readJsonBody()) : undefined);
  } catch (error) {
    sendOperationError(res, operation, error);
    return;
  }
  if (fault?.delayMs !== undefined && !(await waitUnlessClosing(fault.delayMs, closing))) return;
  if (fault !== undefined && sendFault(res, operation, fault)) return;

  const bearerHeader = req.headers[BEARER_HEADER];
  const context: OperationContext = {
    state,
    query: new URL(req.url ?? '/', baseUrl).searchParams,
    bearer: typeof bearerHeader === 'string' && bearerHeader !== '' ? bearerHeader : undefined,
    baseUrl,
    body: readJsonBody,
  };
  try {
    const result = await route.handle(context);
    if (result instanceof Redirect) redirect(res, result.location);
    else if (result === undefined) sendEmpty(res, 200);
    else sendJson(res, 200, fault?.alter === undefined ? result : alterAnswer(result, fault.alter));
  } catch (error) {
    sendOperationError(res, operation, error);
  }
}

function grantTypeOf(body: Record<string, unknown>): string | undefined {
  const grantType = body['grantType'];
  return typeof grantType === 'string' ? grantType : undefined;
}

function sendOperationError(res: ServerResponse, operation: OperationName, error: unknown): void {
  // A fault that cannot apply is the test's mistake: a plain 500 says so, whatever the operation.
  if (error instanceof AlterationError) sendText(res, 500, `Emulator failure: ${error.message}`);
  else if (error instanceof FederationError) sendText(res, 400, error.message);
  else if (isFederationOperation(operation)) sendText(res, 500, `Emulator failure: ${String(error)}`);
  else if (error instanceof OidcError) sendOidcError(res, error.code, error.message);
  else if (error instanceof PortalError) sendPortalError(res, error.errorName, error.message);
  else if (error instanceof BodyError && isOidcOperation(operation)) sendOidcError(res, 'invalid_request', error.message);
  else if (error instanceof BodyError) sendPortalError(res, 'InvalidRequestException', error.message);
  else if (isOidcOperation(operation)) sendOidcError(res, 'server_error', `Emulator failure: ${String(error)}`);
  else sendPortalError(res, 'InternalServerException', `Emulator failure: ${String(error)}`);
}

/** Sends the fault's error or broken body, or resets the connection; false when the real answer is still to come. */
function sendFault(res: ServerResponse, operation: OperationName, fault: Fault): boolean {
  if (fault.reset === true) {
    // RST rather than FIN: the client sees ECONNRESET with no status line, as from a dropped proxy.
    res.socket?.resetAndDestroy();
    return true;
  }
  if (fault.status !== undefined) {
    const message = `Injected fault: HTTP ${fault.status}`;
    if (isFederationOperation(operation)) sendText(res, fault.status, message);
    else if (isOidcOperation(operation)) sendOidcErrorWithStatus(res, fault.status, message);
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
