import { inspect } from 'node:util';
import { LatchkeyError, type LatchkeyErrorCode } from '../core/errors';
import type { AwsOperation } from './wire-types';

export interface AwsServiceErrorDetails {
  operation: AwsOperation;
  retryable?: boolean;
  httpStatus?: number;
  /** From the `x-amzn-RequestId` response header: what AWS support asks for. */
  requestId?: string;
  /** Smithy shape name, e.g. `AuthorizationPendingException`. */
  awsErrorType?: string;
  /** OAuth `error` code from an OIDC body, e.g. `unauthorized_client`. */
  oauthError?: string;
  /** Node or got error code of a transport failure, e.g. `ECONNREFUSED`. */
  networkCode?: string;
}

/**
 * The names a server gives its error, kept only in their usual shape and length, which no
 * token has: a server or proxy that echoes the request could otherwise put the bearer
 * token, or escape sequences, into a log or onto a terminal.
 */
const SERVER_NAME_SHAPES = {
  awsErrorType: /^[A-Za-z][A-Za-z0-9]{0,63}$/,
  oauthError: /^[a-z][a-z0-9_]{0,63}$/,
  // IAM Identity Center's request ids are UUIDs.
  requestId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
} as const;

/** `value` when it has the shape of that name, else undefined: a server string is never kept as it came. */
export function safeServerName(kind: keyof typeof SERVER_NAME_SHAPES, value: string | undefined): string | undefined {
  return value !== undefined && SERVER_NAME_SHAPES[kind].test(value) ? value : undefined;
}

/**
 * A failed call to IAM Identity Center. It carries only what is safe to log: the
 * operation, status, request id and error names (each only in its usual shape). Never a
 * request body, a header, a token, a client secret, a device code, a code verifier or
 * the server's own description; and never got's error as `cause`, because got's
 * `options` and `request` hold the body and the bearer header.
 */
export class AwsServiceError extends LatchkeyError {
  readonly operation: AwsOperation;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  readonly awsErrorType: string | undefined;
  readonly oauthError: string | undefined;
  readonly networkCode: string | undefined;

  constructor(code: LatchkeyErrorCode, message: string, details: AwsServiceErrorDetails) {
    super(code, message, { retryable: details.retryable ?? false });
    this.name = 'AwsServiceError';
    this.operation = details.operation;
    this.httpStatus = details.httpStatus;
    this.requestId = safeServerName('requestId', details.requestId);
    this.awsErrorType = safeServerName('awsErrorType', details.awsErrorType);
    this.oauthError = safeServerName('oauthError', details.oauthError);
    this.networkCode = details.networkCode;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      operation: this.operation,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
      awsErrorType: this.awsErrorType,
      oauthError: this.oauthError,
      networkCode: this.networkCode,
    };
  }

  /** `util.inspect` and `console.log` show the same safe fields and the stack. */
  [inspect.custom](): string {
    return `${this.stack ?? `${this.name}: ${this.message}`}\n${inspect(this.toJSON())}`;
  }
}
