import type { IncomingMessage, ServerResponse } from 'node:http';
import { FieldError, requiredString, type Fields } from './body-fields';
import type { CallbackDelivery } from './callback-delivery';
import { readDirectoryBody } from './directory';
import type { EmulatorState } from './emulator-state';
import { readFaultBody } from './faults';
import { BodyError, parseJsonObject, readBody, sendEmpty, sendJson } from './http-io';
import { applyLifetimeChanges } from './lifetimes';
import { readThrottleBody } from './throttle';

export const ADMIN_PREFIX = '/_emulator/';
/** Far enough to expire anything the emulator issues; stops a typo from overflowing dates. */
const MAX_CLOCK_ADVANCE_SECONDS = 100 * 365 * 24 * 3600;

interface AdminContext {
  readonly state: EmulatorState;
  readonly callbacks: CallbackDelivery;
  readonly body: Fields;
  readonly res: ServerResponse;
}

type AdminHandler = (context: AdminContext) => void;

const ADMIN_ROUTES: Record<string, AdminHandler> = {
  'POST approve': approve,
  'POST deny': deny,
  'GET calls': calls,
  'POST reset': reset,
  'GET polls': polls,
  'GET pending': pending,
  'POST lifetimes': lifetimes,
  'POST directory': directory,
  'POST throttle': throttle,
  'POST faults': faults,
  'POST clock': advanceClock,
  'GET issued-credentials': issuedCredentials,
  'GET console-logins': consoleLogins,
};

/** Serves `/_emulator/*`: JSON in, JSON or 204 out, 400 with a message for a bad body. */
export async function serveAdmin(req: IncomingMessage, res: ServerResponse, pathname: string, state: EmulatorState, callbacks: CallbackDelivery): Promise<void> {
  const handler = ADMIN_ROUTES[`${req.method ?? ''} ${pathname.slice(ADMIN_PREFIX.length)}`];
  if (handler === undefined) {
    sendJson(res, 404, { message: `No admin route ${req.method ?? ''} ${pathname}. Routes: ${Object.keys(ADMIN_ROUTES).join(', ')}.` });
    return;
  }
  try {
    const body = req.method === 'POST' ? parseJsonObject(await readBody(req)) : {};
    handler({ state, callbacks, body, res });
  } catch (error) {
    if (!(error instanceof FieldError || error instanceof BodyError)) throw error;
    sendJson(res, 400, { message: error.message });
  }
}

function approve(context: AdminContext): void {
  decide(context, 'approved');
}

function deny(context: AdminContext): void {
  decide(context, 'denied');
}

function calls({ state, res }: AdminContext): void {
  sendJson(res, 200, state.calls.snapshot());
}

function polls({ state, res }: AdminContext): void {
  sendJson(res, 200, state.devices.polls());
}

function lifetimes({ state, body, res }: AdminContext): void {
  applyLifetimeChanges(state.lifetimes, body);
  sendEmpty(res, 204);
}

function directory({ state, body, res }: AdminContext): void {
  state.directory.replace(readDirectoryBody(body));
  sendEmpty(res, 204);
}

function throttle({ state, body, res }: AdminContext): void {
  state.throttle.set(readThrottleBody(body));
  sendEmpty(res, 204);
}

function faults({ state, body, res }: AdminContext): void {
  state.faults.add(readFaultBody(body));
  sendEmpty(res, 204);
}

function issuedCredentials({ state, res }: AdminContext): void {
  sendJson(res, 200, state.credentials.list());
}

function consoleLogins({ state, res }: AdminContext): void {
  sendJson(res, 200, { logins: state.consoleSignIns.logins() });
}

/**
 * Approve or deny by user code: a device authorization, or else a pending /authorize
 * request, whose redirect the emulator then delivers to the client's loopback listener.
 */
function decide({ state, callbacks, body, res }: AdminContext, decision: 'approved' | 'denied'): void {
  const userCode = requiredString(body, 'userCode');
  const deviceResult = state.devices.decide(userCode, decision);
  if (deviceResult === 'done') return sendEmpty(res, 204);
  if (deviceResult === 'conflict') return sendJson(res, 409, { message: `User code ${userCode} was already decided the other way.` });
  const authorizeResult = state.authorizations.decide(userCode, decision);
  if (authorizeResult.result === 'conflict') return sendJson(res, 409, { message: `User code ${userCode} was already decided the other way.` });
  if (authorizeResult.location === undefined) return sendJson(res, 404, { message: `Unknown or expired user code ${userCode}.` });
  callbacks.deliver(authorizeResult.location);
  sendEmpty(res, 204);
}

function reset({ state, res }: AdminContext): void {
  state.calls.reset();
  state.consoleSignIns.clearLogins();
  state.faults.clear();
  state.throttle.clear();
  sendEmpty(res, 204);
}

function pending({ state, res }: AdminContext): void {
  sendJson(res, 200, {
    deviceUserCodes: state.devices.pendingUserCodes(),
    authorizeUserCodes: state.authorizations.pendingUserCodes(),
  });
}

function advanceClock({ state, body, res }: AdminContext): void {
  const seconds = body['advanceSeconds'];
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_CLOCK_ADVANCE_SECONDS) {
    throw new FieldError('advanceSeconds must be a number of seconds, 0 or more (the clock only moves forward).');
  }
  state.clock.advance(seconds);
  sendEmpty(res, 204);
}
