import { describe, expect, it } from 'vitest';
import { errorFromAnswer } from '../../../main/cli/agent-client';
import { exitCodeFor } from '../../../main/cli/exit-codes';
import type { LatchkeyErrorCode } from '../../../main/core/errors';

describe('exit codes', () => {
  it.each<[LatchkeyErrorCode, number]>([
    ['usage_error', 2],
    ['signed_out', 3],
    ['unauthorized', 3],
    ['access_denied', 1],
    ['expired_token', 1],
    ['network_error', 1],
    ['keychain_locked', 1],
    ['agent_running', 1],
    ['config_error', 1],
  ])('%s exits %i', (code, exit) => {
    expect(exitCodeFor(code)).toBe(exit);
  });
});

describe('errors from the agent', () => {
  it.each([
    [401, '{"error":{"code":"signed_out","message":"Not signed in."}}', 'signed_out', 'Not signed in.'],
    [409, '{"error":{"code":"access_denied","message":"Declined."}}', 'access_denied', 'Declined.'],
    [405, '{"error":{"code":"method_not_allowed","message":"No."}}', 'method_not_allowed', 'No.'],
    [418, '{"error":{"code":"teapot","message":"Short and stout."}}', 'invalid_request', 'Short and stout.'],
    [401, 'not json', 'signed_out', 'The Latchkey agent answered with HTTP 401.'],
    [502, '{"error":{}}', 'server_error', 'The Latchkey agent answered with HTTP 502.'],
    [404, '', 'not_found', 'The Latchkey agent answered with HTTP 404.'],
  ])('HTTP %i %s becomes %s', (status, body, code, message) => {
    const error = errorFromAnswer(status, body);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });
});
