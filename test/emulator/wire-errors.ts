import type { ServerResponse } from 'node:http';
import { sendJson } from './http-io';

/** The OAuth error codes IAM Identity Center OIDC puts in `error`, with the model's exception and status. */
const OIDC_ERRORS = {
  authorization_pending: { exception: 'AuthorizationPendingException', status: 400 },
  slow_down: { exception: 'SlowDownException', status: 400 },
  expired_token: { exception: 'ExpiredTokenException', status: 400 },
  access_denied: { exception: 'AccessDeniedException', status: 400 },
  invalid_grant: { exception: 'InvalidGrantException', status: 400 },
  invalid_client: { exception: 'InvalidClientException', status: 401 },
  unauthorized_client: { exception: 'UnauthorizedClientException', status: 400 },
  invalid_request: { exception: 'InvalidRequestException', status: 400 },
  invalid_scope: { exception: 'InvalidScopeException', status: 400 },
  unsupported_grant_type: { exception: 'UnsupportedGrantTypeException', status: 400 },
  invalid_client_metadata: { exception: 'InvalidClientMetadataException', status: 400 },
  invalid_redirect_uri: { exception: 'InvalidRedirectUriException', status: 400 },
  server_error: { exception: 'InternalServerException', status: 500 },
} as const;

export type OidcErrorCode = keyof typeof OIDC_ERRORS;

/** The portal's modeled errors, plus ForbiddenException, which the portal sends but the model omits. */
const PORTAL_ERRORS = {
  InvalidRequestException: 400,
  UnauthorizedException: 401,
  ForbiddenException: 403,
  ResourceNotFoundException: 404,
  TooManyRequestsException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
} as const;

export type PortalErrorName = keyof typeof PORTAL_ERRORS;

// Real responses carry these Coral namespaces: the header as `<Name>:<namespace URI>`,
// the portal body as `<namespace>#<Name>`. SDKs read the part before ':' or after '#'.
const OIDC_ERROR_TYPE_SUFFIX = ':http://internal.amazon.com/coral/com.amazonaws.sso.oidc/';
const PORTAL_NAMESPACE = 'com.amazonaws.switchboard.portal';
const THROTTLING_ERROR_TYPE = 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/';

/** Thrown by OIDC handlers; the router turns it into the wire shape. */
export class OidcError extends Error {
  readonly code: OidcErrorCode;

  constructor(code: OidcErrorCode, description: string) {
    super(description);
    this.code = code;
  }
}

/** Thrown by portal handlers; the router turns it into the wire shape. */
export class PortalError extends Error {
  readonly errorName: PortalErrorName;

  constructor(errorName: PortalErrorName, message: string) {
    super(message);
    this.errorName = errorName;
  }
}

export function sendOidcError(res: ServerResponse, code: OidcErrorCode, description: string): void {
  const { exception, status } = OIDC_ERRORS[code];
  sendJson(res, status, { error: code, error_description: description }, {
    'x-amzn-ErrorType': `${exception}${OIDC_ERROR_TYPE_SUFFIX}`,
  });
}

export function sendPortalError(res: ServerResponse, errorName: PortalErrorName, message: string): void {
  sendJson(res, PORTAL_ERRORS[errorName], { message, __type: `${PORTAL_NAMESPACE}#${errorName}` }, {
    'x-amzn-ErrorType': `${errorName}:http://internal.amazon.com/coral/${PORTAL_NAMESPACE}/`,
  });
}

/**
 * The OIDC model has no throttling error; AWS front ends answer with Coral's
 * ThrottlingException, which SDKs classify as throttling by name and by the 429.
 */
export function sendOidcThrottled(res: ServerResponse): void {
  sendJson(res, 429, { error: 'throttling_exception', error_description: 'Rate exceeded' }, {
    'x-amzn-ErrorType': THROTTLING_ERROR_TYPE,
  });
}

/** The OIDC error that stands for an arbitrary HTTP status in fault injection. */
export function oidcCodeForStatus(status: number): OidcErrorCode {
  if (status === 401) return 'invalid_client';
  if (status === 403) return 'access_denied';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/** The portal error that stands for an arbitrary HTTP status in fault injection. */
export function portalErrorForStatus(status: number): PortalErrorName {
  switch (status) {
    case 401: return 'UnauthorizedException';
    case 403: return 'ForbiddenException';
    case 404: return 'ResourceNotFoundException';
    case 429: return 'TooManyRequestsException';
    case 503: return 'ServiceUnavailableException';
    default: return status >= 500 ? 'InternalServerException' : 'InvalidRequestException';
  }
}

/**
 * Fault injection may ask for a status whose error is sent with that exact status. A 429
 * is what AWS front ends send when throttling, never an OAuth error.
 */
export function sendOidcErrorWithStatus(res: ServerResponse, status: number, description: string): void {
  if (status === 429) {
    sendOidcThrottled(res);
    return;
  }
  const code = oidcCodeForStatus(status);
  sendJson(res, status, { error: code, error_description: description }, {
    'x-amzn-ErrorType': `${OIDC_ERRORS[code].exception}${OIDC_ERROR_TYPE_SUFFIX}`,
  });
}

export function sendPortalErrorWithStatus(res: ServerResponse, status: number, message: string): void {
  const errorName = portalErrorForStatus(status);
  sendJson(res, status, { message, __type: `${PORTAL_NAMESPACE}#${errorName}` }, {
    'x-amzn-ErrorType': `${errorName}:http://internal.amazon.com/coral/${PORTAL_NAMESPACE}/`,
  });
}
