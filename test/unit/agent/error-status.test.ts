import { describe, expect, it } from 'vitest';
import { errorResponse, errorStatus } from '../../../main/agent/error-status';
import { AwsConfigError } from '../../../main/core/aws-config-error';
import { LatchkeyError, type LatchkeyErrorCode } from '../../../main/core/errors';
import type { Logger } from '../../../main/core/logger';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (message: string, fields?: Record<string, unknown>): void => void lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: log, info: log, warn: log, error: log };
}

describe('error statuses on the socket', () => {
  it.each<[LatchkeyErrorCode, number]>([
    ['usage_error', 400],
    ['invalid_request', 400],
    ['config_error', 400],
    ['signed_out', 401],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['method_not_allowed', 405],
    ['cancelled', 409],
    ['access_denied', 409],
    ['expired_token', 409],
    ['payload_too_large', 413],
    ['throttled', 429],
    ['network_error', 502],
    ['server_error', 502],
    ['malformed_response', 502],
    ['invalid_client', 502],
    ['invalid_grant', 502],
    ['timeout', 504],
    ['keychain_unavailable', 503],
    ['keychain_locked', 503],
    ['record_corrupt', 500],
  ])('maps %s to %i', (code, status) => {
    expect(errorStatus(code)).toBe(status);
  });

  it('passes a LatchkeyError message on, config errors included', () => {
    const error = new AwsConfigError([{ filePath: 'f', kind: 'profile', name: 'p', section: '[profile p]', message: 'f: [profile p] is wrong.' }]);
    expect(errorResponse(error, recordingLogger())).toEqual({
      status: 400,
      body: { error: { code: 'config_error', message: 'f: [profile p] is wrong.' } },
    });
  });

  it('answers anything else with a generic 500 and logs the detail', () => {
    const logger = recordingLogger();
    const response = errorResponse(new TypeError('x is undefined'), logger);
    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe('internal_error');
    expect(response.body.error.message).not.toContain('x is undefined');
    expect(logger.lines.join('\n')).toContain('x is undefined');
  });

  it('keeps a 4xx quiet in the log', () => {
    const logger = recordingLogger();
    errorResponse(new LatchkeyError('not_found', 'nope'), logger);
    expect(logger.lines).toEqual([]);
  });
});
