import type { LatchkeyErrorCode } from '../core/errors';

/** docs/contract.md section 2: the exit codes scripts rely on. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_NOT_SIGNED_IN = 3;

/**
 * The one place a LatchkeyError code becomes an exit code. Listing every code (rather
 * than a default) makes a new code a compile error here until someone decides.
 */
const EXIT_CODE_BY_ERROR: Readonly<Record<LatchkeyErrorCode, number>> = {
  usage_error: EXIT_USAGE,
  signed_out: EXIT_NOT_SIGNED_IN,
  // The portal's 401: the token was rejected, which for the user means signed out.
  unauthorized: EXIT_NOT_SIGNED_IN,
  authorization_pending: EXIT_FAILURE,
  slow_down: EXIT_FAILURE,
  expired_token: EXIT_FAILURE,
  access_denied: EXIT_FAILURE,
  invalid_grant: EXIT_FAILURE,
  invalid_client: EXIT_FAILURE,
  invalid_request: EXIT_FAILURE,
  invalid_scope: EXIT_FAILURE,
  unsupported_grant_type: EXIT_FAILURE,
  invalid_client_metadata: EXIT_FAILURE,
  invalid_redirect_uri: EXIT_FAILURE,
  forbidden: EXIT_FAILURE,
  throttled: EXIT_FAILURE,
  not_found: EXIT_FAILURE,
  server_error: EXIT_FAILURE,
  network_error: EXIT_FAILURE,
  timeout: EXIT_FAILURE,
  malformed_response: EXIT_FAILURE,
  config_error: EXIT_FAILURE,
  cancelled: EXIT_FAILURE,
  keychain_unavailable: EXIT_FAILURE,
  keychain_locked: EXIT_FAILURE,
  record_corrupt: EXIT_FAILURE,
  method_not_allowed: EXIT_FAILURE,
  payload_too_large: EXIT_FAILURE,
  // docs/contract.md section 2: `latchkey agent` beside a live agent exits 1 with a clear message.
  agent_running: EXIT_FAILURE,
  // An old native client and a new agent (or the reverse): docs/agent-api.md, "The relay".
  version_mismatch: EXIT_FAILURE,
};

export function exitCodeFor(code: LatchkeyErrorCode): number {
  return EXIT_CODE_BY_ERROR[code];
}

/** Every code, for turning the agent's `{"error":{"code"}}` back into a LatchkeyError. */
export function isLatchkeyErrorCode(value: string): value is LatchkeyErrorCode {
  return Object.hasOwn(EXIT_CODE_BY_ERROR, value);
}
