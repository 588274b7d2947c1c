import { AbortError, ReadError, RequestError, TimeoutError } from 'got';
import type { LatchkeyErrorCode } from '../core/errors';
import { AwsServiceError, safeServerName } from './aws-service-error';
import { isJsonObject } from '../core/json-object';
import type { AwsOperation, OidcOperation } from './wire-types';

export interface ErrorResponse {
  operation: AwsOperation;
  httpStatus: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  bodyText: string;
}

const OIDC_OPERATIONS: ReadonlySet<AwsOperation> = new Set<OidcOperation>([
  'RegisterClient',
  'StartDeviceAuthorization',
  'CreateToken',
]);

/** Smithy shape names of the OIDC model, by the code Latchkey reports. */
const OIDC_TYPES: Readonly<Record<string, LatchkeyErrorCode>> = {
  AuthorizationPendingException: 'authorization_pending',
  SlowDownException: 'slow_down',
  ExpiredTokenException: 'expired_token',
  AccessDeniedException: 'access_denied',
  InvalidGrantException: 'invalid_grant',
  InvalidClientException: 'invalid_client',
  // Same remedy as invalid_client (register again); `oauthError` keeps the distinction.
  UnauthorizedClientException: 'invalid_client',
  InvalidRequestException: 'invalid_request',
  InvalidRequestRegionException: 'invalid_request',
  InvalidScopeException: 'invalid_scope',
  UnsupportedGrantTypeException: 'unsupported_grant_type',
  InvalidClientMetadataException: 'invalid_client_metadata',
  InvalidRedirectUriException: 'invalid_redirect_uri',
  InternalServerException: 'server_error',
  TooManyRequestsException: 'throttled',
  ThrottlingException: 'throttled',
};

/** OAuth `error` codes of an OIDC body, for a response that names no smithy type. */
const OAUTH_CODES: Readonly<Record<string, LatchkeyErrorCode>> = {
  authorization_pending: 'authorization_pending',
  slow_down: 'slow_down',
  expired_token: 'expired_token',
  access_denied: 'access_denied',
  invalid_grant: 'invalid_grant',
  invalid_client: 'invalid_client',
  unauthorized_client: 'invalid_client',
  invalid_request: 'invalid_request',
  invalid_scope: 'invalid_scope',
  unsupported_grant_type: 'unsupported_grant_type',
  invalid_client_metadata: 'invalid_client_metadata',
  invalid_redirect_uri: 'invalid_redirect_uri',
  server_error: 'server_error',
};

const PORTAL_TYPES: Readonly<Record<string, LatchkeyErrorCode>> = {
  UnauthorizedException: 'unauthorized',
  TooManyRequestsException: 'throttled',
  ResourceNotFoundException: 'not_found',
  InvalidRequestException: 'invalid_request',
  ForbiddenException: 'forbidden',
  AccessDeniedException: 'forbidden',
  InternalServerException: 'server_error',
  ServiceUnavailableException: 'server_error',
};

/** Codes for which the same call can succeed later; the caller (or the poll loop) decides when. */
const RETRYABLE_CODES: ReadonlySet<LatchkeyErrorCode> = new Set<LatchkeyErrorCode>([
  'authorization_pending',
  'slow_down',
  'throttled',
  'server_error',
  'network_error',
  'timeout',
]);

const SUMMARIES: Partial<Record<LatchkeyErrorCode, string>> = {
  authorization_pending: 'the sign-in has not been approved yet',
  slow_down: 'IAM Identity Center asked Latchkey to poll more slowly',
  expired_token: 'the sign-in code expired; start the sign-in again',
  access_denied: 'the sign-in was denied',
  invalid_grant: 'the authorization code or refresh token can no longer be used; sign in again',
  invalid_client: 'the client registration is not valid; register the client again',
  invalid_request: 'IAM Identity Center rejected the request as invalid',
  invalid_scope: 'IAM Identity Center rejected the requested scopes',
  unsupported_grant_type: 'IAM Identity Center does not support this grant type for the client',
  invalid_client_metadata: 'IAM Identity Center rejected the client registration details',
  invalid_redirect_uri: 'IAM Identity Center rejected the redirect URI',
  unauthorized: 'the access token is not valid; sign in again',
  forbidden: 'access denied; the role may not be assigned to you',
  not_found: 'the account or role was not found',
  throttled: 'IAM Identity Center is throttling requests',
  server_error: 'IAM Identity Center had an internal error',
};

/**
 * Turns a non-200 response into a typed error. The error type comes from the
 * `x-amzn-ErrorType` header (before ':'), else body `__type` (after '#'); for OIDC
 * a body `error` code also counts; failing all, the HTTP status decides. The message is
 * Latchkey's own sentence for the code, naming the error type when there is one; the
 * server's description is never repeated (a server or proxy that echoes the request
 * would print the bearer token, and its text may carry escape sequences).
 */
export function mapErrorResponse(response: ErrorResponse): AwsServiceError {
  if (response.operation === 'GetSigninToken') return federationError(response);
  const isOidc = OIDC_OPERATIONS.has(response.operation);
  const body = parseErrorBody(response.bodyText);
  const awsErrorType = typeFromHeader(response.headers['x-amzn-errortype']) ?? typeFromBody(body.__type);
  const oauthError = isOidc ? safeServerName('oauthError', body.error) : undefined;
  // A 429 means throttling whatever the body says: a front end or proxy in the way may
  // put any error in it, and retrying later is the only fitting answer.
  const code =
    (response.httpStatus === 429 ? 'throttled' : undefined) ??
    (awsErrorType === undefined ? undefined : (isOidc ? OIDC_TYPES : PORTAL_TYPES)[awsErrorType]) ??
    (oauthError === undefined ? undefined : OAUTH_CODES[oauthError]) ??
    codeFromStatus(response.httpStatus, isOidc);
  const summary = SUMMARIES[code] ?? `IAM Identity Center answered HTTP ${response.httpStatus}`;
  const name = awsErrorType ?? oauthError;
  return new AwsServiceError(code, `${response.operation} failed: ${summary}${name === undefined ? '' : ` (${name})`}`, {
    operation: response.operation,
    retryable: RETRYABLE_CODES.has(code),
    httpStatus: response.httpStatus,
    requestId: firstHeader(response.headers['x-amzn-requestid']),
    awsErrorType,
    oauthError,
  });
}

/** TLS trust failures: retrying cannot help, a CA bundle can. */
export const TLS_TRUST_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Errors raised before a byte of the request left this machine. Only these prove the
 * server never saw the request, which matters for single-use grants.
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
  ...TLS_TRUST_CODES,
]);

export interface RequestFailure {
  error: AwsServiceError;
  /** False only when the request provably never reached the server. */
  mayHaveReachedServer: boolean;
}

/**
 * Turns a got failure (no HTTP response, or a body cut short) into a typed error. Only
 * got's `code`, `message` and timings are read; got's `options`, `request` and
 * `response` objects hold the request body and headers, so none is kept.
 */
export function mapRequestFailure(operation: AwsOperation, failure: unknown): RequestFailure {
  if (!(failure instanceof RequestError) || failure instanceof AbortError) {
    throw failure;
  }
  const networkCode = failure.code;
  const uploaded = failure.timings?.upload !== undefined;
  const mayHaveReachedServer = uploaded || !NOT_SENT_CODES.has(networkCode);
  const details = { operation, networkCode, httpStatus: failure.response?.statusCode };
  if (failure instanceof TimeoutError) {
    const message = `${operation} timed out waiting for ${serviceOf(operation)} (${failure.event} phase)`;
    return { error: new AwsServiceError('timeout', message, { ...details, retryable: true }), mayHaveReachedServer };
  }
  if (failure instanceof ReadError) {
    // The status line arrived but the body did not finish: a truncated response.
    const message = `${operation} response was cut short before its body ended (${networkCode})`;
    return {
      error: new AwsServiceError('malformed_response', message, { ...details, retryable: true }),
      mayHaveReachedServer: true,
    };
  }
  if (TLS_TRUST_CODES.has(networkCode)) {
    const message =
      `${operation} failed: the server's TLS certificate is not trusted (${networkCode}); ` +
      'if a proxy or private CA signs it, point AWS_CA_BUNDLE at that CA';
    return { error: new AwsServiceError('network_error', message, details), mayHaveReachedServer: false };
  }
  const message = `${operation} could not reach ${serviceOf(operation)} (${networkCode}: ${failure.message})`;
  return { error: new AwsServiceError('network_error', message, { ...details, retryable: true }), mayHaveReachedServer };
}

/**
 * A response whose body passed `limitBytes` and was cut off there. Classified as a body
 * cut short: the request arrived, and a repeatable call may try again.
 */
export function responseTooLarge(operation: AwsOperation, limitBytes: number): RequestFailure {
  const message = `${operation} response is larger than ${limitBytes / (1024 * 1024)} MiB, far beyond any IAM Identity Center answer; Latchkey stopped reading it`;
  return {
    error: new AwsServiceError('malformed_response', message, { operation, retryable: true }),
    mayHaveReachedServer: true,
  };
}

/**
 * The federation endpoint is not a smithy service: it answers a Session it will not take
 * (expired, revoked, malformed) with a bare 400 and a page of text, never an error type.
 */
function federationError(response: ErrorResponse): AwsServiceError {
  const status = response.httpStatus;
  const [code, summary]: [LatchkeyErrorCode, string] =
    status >= 500
      ? ['server_error', 'the AWS sign-in endpoint had an internal error']
      : status === 429
        ? ['throttled', 'the AWS sign-in endpoint is throttling requests']
        : ['forbidden', `the AWS sign-in endpoint refused the role's credentials for a console sign-in (HTTP ${status})`];
  return new AwsServiceError(code, `${response.operation} failed: ${summary}`, {
    operation: response.operation,
    retryable: RETRYABLE_CODES.has(code),
    httpStatus: status,
    requestId: firstHeader(response.headers['x-amzn-requestid']),
  });
}

function serviceOf(operation: AwsOperation): string {
  return operation === 'GetSigninToken' ? 'the AWS sign-in endpoint' : 'IAM Identity Center';
}

function codeFromStatus(status: number, isOidc: boolean): LatchkeyErrorCode {
  if (status >= 500) return 'server_error';
  if (status === 429) return 'throttled';
  if (status === 401) return isOidc ? 'invalid_client' : 'unauthorized';
  if (status === 403) return isOidc ? 'access_denied' : 'forbidden';
  if (status === 404) return 'not_found';
  return 'invalid_request';
}

/** The two names an error body may give; descriptions and messages are not read at all. */
interface ErrorBody {
  error?: string;
  __type?: string;
}

function parseErrorBody(bodyText: string): ErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    // A proxy's HTML page or an empty body: the status will decide.
    return {};
  }
  if (!isJsonObject(parsed)) return {};
  return { error: stringOrUndefined(parsed.error), __type: stringOrUndefined(parsed.__type) };
}

/** `x-amzn-ErrorType: InvalidGrantException:http://internal.amazon.com/...` → `InvalidGrantException`. */
function typeFromHeader(value: string | string[] | undefined): string | undefined {
  return safeServerName('awsErrorType', firstHeader(value)?.split(':', 1)[0]?.trim());
}

/** `__type: "com.amazon.sso#UnauthorizedException"` → `UnauthorizedException`. */
function typeFromBody(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return safeServerName('awsErrorType', value.slice(value.lastIndexOf('#') + 1).split(':', 1)[0]?.trim());
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
