import { describe, expect, it } from 'vitest';
import type { LatchkeyErrorCode } from '../../../main/core/errors';
import { mapErrorResponse } from '../../../main/aws/error-mapping';
import type { AwsOperation } from '../../../main/aws/wire-types';

const OIDC_ROWS: [string, string, number, LatchkeyErrorCode, boolean][] = [
  ['authorization_pending', 'AuthorizationPendingException', 400, 'authorization_pending', true],
  ['slow_down', 'SlowDownException', 400, 'slow_down', true],
  ['expired_token', 'ExpiredTokenException', 400, 'expired_token', false],
  ['access_denied', 'AccessDeniedException', 400, 'access_denied', false],
  ['invalid_grant', 'InvalidGrantException', 400, 'invalid_grant', false],
  ['invalid_client', 'InvalidClientException', 401, 'invalid_client', false],
  ['unauthorized_client', 'UnauthorizedClientException', 400, 'invalid_client', false],
  ['invalid_request', 'InvalidRequestException', 400, 'invalid_request', false],
  ['invalid_scope', 'InvalidScopeException', 400, 'invalid_scope', false],
  ['unsupported_grant_type', 'UnsupportedGrantTypeException', 400, 'unsupported_grant_type', false],
  ['invalid_client_metadata', 'InvalidClientMetadataException', 400, 'invalid_client_metadata', false],
  ['invalid_redirect_uri', 'InvalidRedirectUriException', 400, 'invalid_redirect_uri', false],
  ['server_error', 'InternalServerException', 500, 'server_error', true],
];

function oidcError(headers: Record<string, string>, body: unknown, httpStatus: number, operation: AwsOperation = 'CreateToken') {
  return mapErrorResponse({ operation, httpStatus, headers, bodyText: JSON.stringify(body) });
}

describe('OIDC error mapping', () => {
  it.each(OIDC_ROWS)('maps %s from the x-amzn-ErrorType header', (oauth, exception, status, code, retryable) => {
    const error = oidcError(
      { 'x-amzn-errortype': `${exception}:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/`, 'x-amzn-requestid': '00000000-0000-4000-8000-000000000001' },
      { error: oauth, error_description: 'described' },
      status,
    );
    expect(error).toMatchObject({ code, retryable, awsErrorType: exception, oauthError: oauth, httpStatus: status, requestId: '00000000-0000-4000-8000-000000000001', operation: 'CreateToken' });
    // Latchkey's own sentence and the type name: the description the server sent is not repeated.
    expect(error.message).toMatch(new RegExp(`^CreateToken failed: [^()]+ \\(${exception}\\)$`));
    expect(error.message).not.toContain('described');
  });

  it.each(OIDC_ROWS)('maps %s from body __type when no header is sent', (_oauth, exception, status, code) => {
    expect(oidcError({}, { __type: `com.amazonaws.sso.oidc#${exception}` }, status)).toMatchObject({ code, awsErrorType: exception });
  });

  it.each(OIDC_ROWS)('maps %s from the body error code alone', (oauth, _exception, status, code) => {
    expect(oidcError({}, { error: oauth }, status)).toMatchObject({ code, oauthError: oauth, awsErrorType: undefined });
  });

  it('keeps unauthorized_client distinguishable while sharing the invalid_client remedy', () => {
    const error = oidcError({}, { error: 'unauthorized_client' }, 400);
    expect(error.code).toBe('invalid_client');
    expect(error.oauthError).toBe('unauthorized_client');
  });

  it('classifies the front end ThrottlingException on a 429 as throttled and retryable', () => {
    const error = oidcError(
      { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/' },
      { error: 'throttling_exception' },
      429,
    );
    expect(error).toMatchObject({ code: 'throttled', retryable: true });
  });

  it('takes any 429 as throttling, whatever error the body names (a front end in the way may put any in it)', () => {
    const oidc = oidcError({ 'x-amzn-errortype': 'InvalidRequestException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/' }, { error: 'invalid_request' }, 429);
    const portal = mapErrorResponse({ operation: 'ListAccounts', httpStatus: 429, headers: {}, bodyText: '{"__type":"x#InvalidRequestException"}' });

    expect(oidc).toMatchObject({ code: 'throttled', retryable: true, awsErrorType: 'InvalidRequestException' });
    expect(portal).toMatchObject({ code: 'throttled', retryable: true, awsErrorType: 'InvalidRequestException' });
  });
});

describe('portal error mapping', () => {
  it.each<[string, number, LatchkeyErrorCode, boolean]>([
    ['UnauthorizedException', 401, 'unauthorized', false],
    ['TooManyRequestsException', 429, 'throttled', true],
    ['ResourceNotFoundException', 404, 'not_found', false],
    ['InvalidRequestException', 400, 'invalid_request', false],
    ['ForbiddenException', 403, 'forbidden', false],
    ['InternalServerException', 500, 'server_error', true],
    ['ServiceUnavailableException', 503, 'server_error', true],
  ])('maps %s (%i) to %s', (name, status, code, retryable) => {
    const error = mapErrorResponse({
      operation: 'GetRoleCredentials',
      httpStatus: status,
      headers: { 'x-amzn-requestid': '00000000-0000-4000-8000-000000000002' },
      bodyText: JSON.stringify({ message: 'nope', __type: `com.amazonaws.switchboard.portal#${name}` }),
    });
    expect(error).toMatchObject({ code, retryable, awsErrorType: name, requestId: '00000000-0000-4000-8000-000000000002', httpStatus: status });
  });

  it('reads an AccessDeniedException on the portal as a role that is not assigned', () => {
    const error = mapErrorResponse({ operation: 'GetRoleCredentials', httpStatus: 403, headers: {}, bodyText: '{"__type":"x#AccessDeniedException"}' });
    expect(error.code).toBe('forbidden');
  });
});

describe('status fallback when the body names no error', () => {
  it.each<[AwsOperation, number, LatchkeyErrorCode, boolean]>([
    ['ListAccounts', 401, 'unauthorized', false],
    ['ListAccounts', 403, 'forbidden', false],
    ['ListAccounts', 404, 'not_found', false],
    ['ListAccounts', 429, 'throttled', true],
    ['ListAccounts', 502, 'server_error', true],
    ['ListAccounts', 418, 'invalid_request', false],
    ['CreateToken', 401, 'invalid_client', false],
    ['CreateToken', 503, 'server_error', true],
  ])('%s HTTP %i with an HTML body → %s', (operation, status, code, retryable) => {
    const error = mapErrorResponse({ operation, httpStatus: status, headers: {}, bodyText: '<html>Bad Gateway</html>' });
    expect(error).toMatchObject({ code, retryable, httpStatus: status, awsErrorType: undefined });
  });
});

describe('server text never reaches the error', () => {
  const TOKEN = 'aoaAAAAAGhjK2x0b2tlbi1lY2hvZWQtYmFjay1ieS10aGUtc2VydmVy';

  it.each<[string, AwsOperation, Record<string, string>, unknown]>([
    ['an OIDC error_description', 'CreateToken', {}, { error: 'invalid_grant', error_description: `refresh token ${TOKEN} is revoked` }],
    ['a portal message', 'ListAccounts', {}, { message: `Token ${TOKEN} is expired`, __type: 'x#UnauthorizedException' }],
    ['a portal Message', 'ListAccounts', {}, { Message: `Token ${TOKEN} is expired` }],
    ['an escape sequence in a description', 'CreateToken', {}, { error: 'invalid_request', error_description: '\x1b[2J\x1b[Hevil' }],
    ['the OAuth error code', 'CreateToken', {}, { error: `invalid ${TOKEN}` }],
    ['the body __type', 'ListAccounts', {}, { __type: `x#${TOKEN}\x1b[2J` }],
    ['the x-amzn-ErrorType header', 'ListAccounts', { 'x-amzn-errortype': `${'A'.repeat(70)}:x` }, {}],
    ['the request id header', 'ListAccounts', { 'x-amzn-requestid': `${TOKEN}\x1b[2J` }, {}],
  ])('does not repeat %s', (_name, operation, headers, body) => {
    const error = mapErrorResponse({ operation, httpStatus: 400, headers, bodyText: JSON.stringify(body) });
    for (const rendering of [error.message, JSON.stringify(error), String(error)]) {
      expect(rendering).not.toContain(TOKEN);
      expect(rendering).not.toContain('A'.repeat(70));
      expect(rendering).not.toContain('evil');
      expect(rendering).not.toContain('\x1b');
    }
  });

  it('keeps a smithy type name and an OAuth code of the safe shape, for AWS support', () => {
    const error = oidcError({ 'x-amzn-requestid': 'a1b2c3d4-0000-4000-8000-000000000000' }, { error: 'some_new_code', __type: 'x#SomeNewException' }, 400);
    expect(error).toMatchObject({ awsErrorType: 'SomeNewException', oauthError: 'some_new_code', requestId: 'a1b2c3d4-0000-4000-8000-000000000000' });
    expect(error.message).toBe('CreateToken failed: IAM Identity Center rejected the request as invalid (SomeNewException)');
  });
});
