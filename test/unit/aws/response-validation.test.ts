import { describe, expect, it } from 'vitest';
import { validateResponse, type ResponseShapes } from '../../../main/aws/response-validation';

function validate<O extends keyof ResponseShapes>(operation: O, body: unknown): ResponseShapes[O] {
  return validateResponse(operation, typeof body === 'string' ? body : JSON.stringify(body), { operation, httpStatus: 200, requestId: 'rid' });
}

const credentials = { accessKeyId: 'AKIA', secretAccessKey: 'secret', sessionToken: 'session', expiration: 1_700_000_000_000 };

describe('response validation', () => {
  it.each<[string, keyof ResponseShapes, unknown, string]>([
    ['missing_access_token', 'CreateToken', { expiresIn: 3600 }, "CreateToken response field 'accessToken' is missing"],
    ['expires_in_as_string', 'CreateToken', { accessToken: 'a', expiresIn: '3600' }, "'expiresIn' is not a number"],
    ['refresh_token_as_number', 'CreateToken', { accessToken: 'a', expiresIn: 1, refreshToken: 5 }, "'refreshToken' is not a string"],
    ['client_secret_missing', 'RegisterClient', { clientId: 'c', clientIdIssuedAt: 1, clientSecretExpiresAt: 1 }, "'clientSecret' is missing"],
    ['device_code_empty', 'StartDeviceAuthorization', { deviceCode: '', userCode: 'u', verificationUri: 'v', verificationUriComplete: 'vc', expiresIn: 600 }, "'deviceCode' is not a non-empty string"],
    ['interval_as_string', 'StartDeviceAuthorization', { deviceCode: 'd', userCode: 'u', verificationUri: 'v', verificationUriComplete: 'vc', expiresIn: 600, interval: '5' }, "'interval' is not a number"],
    ['verification_uri_complete_missing', 'StartDeviceAuthorization', { deviceCode: 'd', userCode: 'u', verificationUri: 'v', expiresIn: 600 }, "'verificationUriComplete' is missing"],
    ['issued_at_missing', 'RegisterClient', { clientId: 'c', clientSecret: 's', clientSecretExpiresAt: 1 }, "'clientIdIssuedAt' is missing"],
    ['account_list_missing', 'ListAccounts', {}, "'accountList' is missing"],
    ['account_list_not_a_list', 'ListAccounts', { accountList: {} }, "'accountList' is not a list"],
    ['account_id_as_number', 'ListAccounts', { accountList: [{ accountId: 111111111111, accountName: 'Dev' }] }, "'accountList[0].accountId' is not a non-empty string"],
    ['role_entry_not_an_object', 'ListAccountRoles', { roleList: ['Developer'] }, "'roleList[0]' is not an object"],
    ['role_credentials_missing', 'GetRoleCredentials', {}, "'roleCredentials' is missing"],
    ['expiration_as_iso_string', 'GetRoleCredentials', { roleCredentials: { ...credentials, expiration: '2026-01-01T00:00:00Z' } }, "'roleCredentials.expiration' is not a number"],
    ['json_array_instead_of_object', 'ListAccounts', '[]', 'JSON that is not an object'],
    ['not_json', 'GetRoleCredentials', '{"roleCredentials":', 'not valid JSON'],
  ])('rejects %s as malformed_response naming the field', (_name, operation, body, message) => {
    expect(() => validate(operation, body)).toThrow(expect.objectContaining({ code: 'malformed_response', operation, message: expect.stringContaining(message) }));
  });

  it('never echoes a field value in the error', () => {
    const secret = 'SECRET-ACCESS-TOKEN-VALUE';
    expect(() => validate('CreateToken', { accessToken: secret, expiresIn: secret })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });

  it('accepts null or absent optional members and ignores unknown ones', () => {
    expect(validate('ListAccounts', { accountList: [{ accountId: '1', emailAddress: null, extra: true }], nextToken: null })).toEqual({
      accountList: [{ accountId: '1', accountName: undefined, emailAddress: undefined }],
      nextToken: undefined,
    });
  });

  it('accepts any body on a Logout success', () => {
    expect(validate('Logout', '')).toBeUndefined();
    expect(validate('Logout', 'not json')).toBeUndefined();
  });

  it('returns role credentials with the epoch-milliseconds expiration untouched', () => {
    expect(validate('GetRoleCredentials', { roleCredentials: credentials }).roleCredentials.expiration).toBe(1_700_000_000_000);
  });
});
