/**
 * Every failure Latchkey reports is a LatchkeyError with a stable string code.
 * Codes map to CLI exit codes, socket HTTP statuses and IPC results in one place
 * each; `retryable` says whether trying the same thing again can help.
 */
export type LatchkeyErrorCode =
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'access_denied'
  | 'invalid_grant'
  | 'invalid_client'
  | 'invalid_request'
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'invalid_client_metadata'
  | 'invalid_redirect_uri'
  | 'unauthorized'
  | 'forbidden'
  | 'throttled'
  | 'not_found'
  | 'server_error'
  | 'network_error'
  | 'timeout'
  | 'malformed_response'
  | 'config_error'
  | 'usage_error'
  | 'cancelled'
  | 'signed_out'
  | 'keychain_unavailable'
  | 'keychain_locked'
  | 'record_corrupt'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'agent_running'
  | 'version_mismatch';

export interface LatchkeyErrorOptions {
  retryable?: boolean;
  cause?: unknown;
}

/**
 * Marks every LatchkeyError, whichever copy of this module made it: the CLI ships as two
 * bundles (scripts/build.mjs), each with its own copy of this class, and an error made by
 * one must still be a LatchkeyError to the other.
 */
const LATCHKEY_ERROR_BRAND = Symbol.for('latchkey.LatchkeyError');

export class LatchkeyError extends Error {
  readonly code: LatchkeyErrorCode;
  readonly retryable: boolean;
  readonly [LATCHKEY_ERROR_BRAND] = true;

  /** The brand for the base class; subclasses keep the ordinary prototype check. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== LatchkeyError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[LATCHKEY_ERROR_BRAND] === true;
  }

  constructor(code: LatchkeyErrorCode, message: string, options: LatchkeyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LatchkeyError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

export function isLatchkeyError(value: unknown, code?: LatchkeyErrorCode): value is LatchkeyError {
  return value instanceof LatchkeyError && (code === undefined || value.code === code);
}
