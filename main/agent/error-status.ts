import { isLatchkeyError, type LatchkeyErrorCode } from '../core/errors';
import type { Logger } from '../core/logger';
import type { ErrorBody } from './agent-wire-types';
import { SignInNeededError } from './sign-in-needed';

/**
 * The one mapping from LatchkeyError codes to HTTP statuses on the socket
 * (docs/agent-api.md, "Conventions"). Codes not listed answer 500.
 */
const STATUS_BY_CODE: Partial<Record<LatchkeyErrorCode, number>> = {
  usage_error: 400,
  invalid_request: 400,
  config_error: 400,
  signed_out: 401,
  // The portal rejected the token: to the caller that is being signed out.
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  cancelled: 409,
  access_denied: 409,
  expired_token: 409,
  agent_running: 409,
  version_mismatch: 409,
  payload_too_large: 413,
  throttled: 429,
  network_error: 502,
  server_error: 502,
  malformed_response: 502,
  invalid_client: 502,
  invalid_grant: 502,
  invalid_scope: 502,
  unsupported_grant_type: 502,
  invalid_client_metadata: 502,
  invalid_redirect_uri: 502,
  authorization_pending: 502,
  slow_down: 502,
  timeout: 504,
  keychain_unavailable: 503,
  keychain_locked: 503,
};

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
}

const INTERNAL_MESSAGE = 'The Latchkey agent failed unexpectedly; run it with LATCHKEY_DEBUG=1 and look at its log.';

/**
 * The status and body for any thrown value. A LatchkeyError's message was written for
 * people and carries no secret, so it is passed on; anything else is a bug whose detail
 * goes to the log (name and message only, never the request) and a generic sentence to
 * the caller.
 */
export function errorResponse(error: unknown, logger: Logger): ErrorResponse {
  if (isLatchkeyError(error)) {
    const status = STATUS_BY_CODE[error.code] ?? 500;
    if (status >= 500) logger.warn('Request failed', { code: error.code, message: error.message });
    const body = errorBody(error.code, error.message);
    if (error instanceof SignInNeededError) body.error.signIn = error.signIn;
    return { status, body };
  }
  logger.error('Unexpected failure while answering a request', {
    name: error instanceof Error ? error.name : typeof error,
    message: error instanceof Error ? error.message : undefined,
  });
  logger.debug('Stack of the unexpected failure', { stack: error instanceof Error ? error.stack : undefined });
  return { status: 500, body: errorBody('internal_error', INTERNAL_MESSAGE) };
}

export function errorStatus(code: LatchkeyErrorCode): number {
  return STATUS_BY_CODE[code] ?? 500;
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}
