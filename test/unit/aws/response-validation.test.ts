import { describe, expect, it } from 'vitest';
import { validateResponse, type ResponseShapes } from '../../../main/aws/response-validation';

function validate<O extends keyof ResponseShapes>(operation: O, body: unknown): ResponseShapes[O] {
  return validateResponse(operation, typeof body === 'string' ? body : JSON.stringify(body), { operation, httpStatus: 200, requestId: 'rid' });
}

const credentials = { accessKeyId: 'AKIA', secretAccessKey: 'secret', sessionToken: 'session', expiration: 1_700_000_000_000 };
const device = {
  deviceCode: 'd',
  userCode: 'WDJB-MJHT',
  verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
  verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=WDJB-MJHT',
  expiresIn: 600,
};
/** The exact injection of issue 8, finding 2: a role name that opens a section of its own. */
const INJECTION = 'R\n[profile evil]\ncredential_process = touch /tmp/pwned';
const R = '\uFFFD';

function accounts(account: Record<string, unknown>): unknown {
  return { accountList: [{ accountId: '111111111111', accountName: 'Dev', ...account }] };
}

function roles(role: Record<string, unknown>): unknown {
  return { roleList: [{ accountId: '111111111111', roleName: 'Developer', ...role }] };
}

describe('response validation', () => {
  it.each<[string, keyof ResponseShapes, unknown, string]>([
    ['missing_access_token', 'CreateToken', { expiresIn: 3600 }, "CreateToken response field 'accessToken' is missing"],
    ['expires_in_as_string', 'CreateToken', { accessToken: 'a', expiresIn: '3600' }, "'expiresIn' is not a number"],
    ['expires_in_zero', 'CreateToken', { accessToken: 'a', expiresIn: 0 }, "CreateToken response field 'expiresIn' is not a positive number"],
    ['expires_in_negative', 'CreateToken', { accessToken: 'a', expiresIn: -5 }, "CreateToken response field 'expiresIn' is not a positive number"],
    ['device_expires_in_zero', 'StartDeviceAuthorization', { ...device, expiresIn: 0 }, "StartDeviceAuthorization response field 'expiresIn' is not a positive number"],
    ['device_expires_in_negative', 'StartDeviceAuthorization', { ...device, expiresIn: -600 }, "StartDeviceAuthorization response field 'expiresIn' is not a positive number"],
    ['interval_negative', 'StartDeviceAuthorization', { ...device, interval: -1 }, "StartDeviceAuthorization response field 'interval' is a negative number"],
    ['expires_in_fractional', 'CreateToken', { accessToken: 'a', expiresIn: 3600.5 }, "CreateToken response field 'expiresIn' is not a whole number of seconds"],
    ['expires_in_beyond_a_year', 'CreateToken', { accessToken: 'a', expiresIn: 1e13 }, "CreateToken response field 'expiresIn' is longer than 31622400 seconds"],
    ['device_expires_in_beyond_a_day', 'StartDeviceAuthorization', { ...device, expiresIn: 1e306 }, "StartDeviceAuthorization response field 'expiresIn' is longer than 86400 seconds"],
    ['interval_beyond_an_hour', 'StartDeviceAuthorization', { ...device, interval: 3e6 }, "StartDeviceAuthorization response field 'interval' is longer than 3600 seconds"],
    ['expiration_beyond_year_9999', 'GetRoleCredentials', { roleCredentials: { ...credentials, expiration: 1e20 } }, "GetRoleCredentials response field 'roleCredentials.expiration' is not a time between 1970 and 9999"],
    ['expiration_fractional', 'GetRoleCredentials', { roleCredentials: { ...credentials, expiration: 1_700_000_000_000.5 } }, "'roleCredentials.expiration' is not a time between 1970 and 9999"],
    ['secret_expiry_beyond_year_9999', 'RegisterClient', { clientId: 'c', clientSecret: 's', clientIdIssuedAt: 1, clientSecretExpiresAt: 1e15 }, "RegisterClient response field 'clientSecretExpiresAt' is not a time between 1970 and 9999"],
    ['refresh_token_as_number', 'CreateToken', { accessToken: 'a', expiresIn: 1, refreshToken: 5 }, "'refreshToken' is not a string"],
    ['client_secret_missing', 'RegisterClient', { clientId: 'c', clientIdIssuedAt: 1, clientSecretExpiresAt: 1 }, "'clientSecret' is missing"],
    ['device_code_empty', 'StartDeviceAuthorization', { ...device, deviceCode: '' }, "'deviceCode' is not a non-empty string"],
    ['interval_as_string', 'StartDeviceAuthorization', { ...device, interval: '5' }, "'interval' is not a number"],
    ['verification_uri_complete_missing', 'StartDeviceAuthorization', { ...device, verificationUriComplete: undefined }, "'verificationUriComplete' is missing"],
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

  it.each([
    ['absent', undefined, undefined],
    ['zero_which_the_device_flow_reads_as_its_default', 0, 0],
    ['a_fraction_which_the_device_flow_raises_to_its_floor', 0.0001, 0.0001],
    ['five', 5, 5],
  ])('accepts a device authorization whose interval is %s', (_name, interval, expected) => {
    expect(validate('StartDeviceAuthorization', { ...device, interval }).interval).toBe(expected);
  });

  it('never echoes a field value in the error', () => {
    const secret = 'SECRET-ACCESS-TOKEN-VALUE';
    expect(() => validate('CreateToken', { accessToken: secret, expiresIn: secret })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });

  it('accepts null or absent optional members and ignores unknown ones', () => {
    expect(validate('ListAccounts', { accountList: [{ accountId: '111111111111', emailAddress: null, extra: true }], nextToken: null })).toEqual({
      accountList: [{ accountId: '111111111111', accountName: undefined, emailAddress: undefined }],
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

  it.each<[string, 'ListAccounts' | 'ListAccountRoles', string, string, string]>([
    ['role_name_injection', 'ListAccountRoles', 'roleName', INJECTION, "'roleList[0].roleName' is not an IAM role name"],
    ['role_name_with_a_space', 'ListAccountRoles', 'roleName', 'Power User', "'roleList[0].roleName' is not an IAM role name"],
    ['role_name_of_65_characters', 'ListAccountRoles', 'roleName', 'x'.repeat(65), "'roleList[0].roleName' is not an IAM role name"],
    ['role_name_with_a_slash', 'ListAccountRoles', 'roleName', 'team/Admin', "'roleList[0].roleName' is not an IAM role name"],
    ['role_account_id_injection', 'ListAccountRoles', 'accountId', '111111111111\n[profile evil]', "'roleList[0].accountId' is not a 12-digit account id"],
    ['role_account_id_short', 'ListAccountRoles', 'accountId', '98765', "'roleList[0].accountId' is not a 12-digit account id"],
    ['account_id_eleven_digits', 'ListAccounts', 'accountId', '11111111111', "'accountList[0].accountId' is not a 12-digit account id"],
    ['account_id_with_newline', 'ListAccounts', 'accountId', '111111111111\n', "'accountList[0].accountId' is not a 12-digit account id"],
    ['account_id_fullwidth_digits', 'ListAccounts', 'accountId', '１１１１１１１１１１１１', "'accountList[0].accountId' is not a 12-digit account id"],
  ])('rejects %s as malformed_response naming the operation and field, never the value', (_name, operation, field, value, message) => {
    const body = operation === 'ListAccounts' ? accounts({ [field]: value }) : roles({ [field]: value });
    let caught: unknown;
    try {
      validate(operation, body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'malformed_response', operation, message: expect.stringContaining(message) });
    expect(JSON.stringify(caught)).not.toContain(JSON.stringify(value).slice(1, -1));
  });

  it.each<[string, string, string]>([
    ['ansi_escapes', 'Dev\x1b[2J\x1b[31m', `Dev${R}[2J${R}[31m`],
    ['bidi_override', 'Prod\u202Etxt', `Prod${R}txt`],
    ['newline_injection', 'Dev\n[profile evil]', `Dev${R}[profile evil]`],
    ['very_long', 'x'.repeat(500), `${'x'.repeat(255)}…`],
    ['plain', 'Entwicklung 開発', 'Entwicklung 開発'],
  ])('cleans an account name with %s rather than refusing the whole listing', (_name, accountName, expected) => {
    expect(validate('ListAccounts', accounts({ accountName })).accountList[0]?.accountName).toBe(expected);
  });

  it('cleans control characters out of an email address', () => {
    expect(validate('ListAccounts', accounts({ emailAddress: 'a@b.example\r\x1b[2K' })).accountList[0]?.emailAddress).toBe(`a@b.example${R}${R}[2K`);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['user_code_with_escape', { userCode: 'WDJB\x1b[2J' }, "'userCode' is not a user code"],
    ['user_code_with_newline', { userCode: 'WDJB-MJHT\nApprove anything' }, "'userCode' is not a user code"],
    ['user_code_too_long', { userCode: 'A'.repeat(33) }, "'userCode' is not a user code"],
    ['verification_uri_plain_http', { verificationUri: 'http://device.sso.us-east-1.amazonaws.com/' }, "'verificationUri' is not an https URL"],
    ['verification_uri_javascript', { verificationUri: 'javascript:alert(1)' }, "'verificationUri' is not an https URL"],
    ['verification_uri_file', { verificationUri: 'file:///etc/passwd' }, "'verificationUri' is not an https URL"],
    ['verification_uri_not_a_url', { verificationUri: 'v' }, "'verificationUri' is not an https URL"],
    ['verification_uri_with_credentials', { verificationUri: 'https://aws.amazon.com@evil.example/' }, "'verificationUri' is not an https URL"],
    ['verification_uri_with_newline', { verificationUri: 'https://device.sso.us-east-1.amazonaws.com/\nApprove' }, "'verificationUri' is not an https URL"],
    ['verification_uri_with_tab', { verificationUri: 'https://dev\tice.sso.us-east-1.amazonaws.com/' }, "'verificationUri' is not an https URL"],
    ['verification_uri_with_bidi', { verificationUri: 'https://device.sso.us-east-1.amazonaws.com/\u202E' }, "'verificationUri' is not an https URL"],
    ['complete_uri_on_another_host', { verificationUriComplete: 'https://evil.example/?user_code=WDJB-MJHT' }, "'verificationUriComplete' is not on the verificationUri's origin"],
    ['complete_uri_plain_http', { verificationUriComplete: 'http://device.sso.us-east-1.amazonaws.com/?user_code=WDJB-MJHT' }, "'verificationUriComplete' is not an https URL"],
  ])('rejects a device authorization whose %s', (_name, override, message) => {
    expect(() => validate('StartDeviceAuthorization', { ...device, ...override })).toThrow(
      expect.objectContaining({ code: 'malformed_response', message: expect.stringContaining(`StartDeviceAuthorization response field ${message}`) }),
    );
  });

  it.each([
    ['the_emulator_on_127_0_0_1', 'http://127.0.0.1:4711/device'],
    ['localhost', 'http://localhost:4711/device'],
    ['ipv6_loopback', 'http://[::1]:4711/device'],
  ])('accepts a plain-http verification page on loopback: %s', (_name, uri) => {
    const body = { ...device, verificationUri: uri, verificationUriComplete: `${uri}?user_code=WDJB-MJHT` };
    expect(validate('StartDeviceAuthorization', body).verificationUriComplete).toBe(`${uri}?user_code=WDJB-MJHT`);
  });

  it.each([
    ['token_type_with_newline', { tokenType: 'Bearer\nX' }, "'tokenType' is not a token type"],
    ['token_type_too_long', { tokenType: 'B'.repeat(65) }, "'tokenType' is not a token type"],
    ['access_token_with_newline', { accessToken: 'token\r\nx-evil: 1' }, "'accessToken' has control characters"],
    ['refresh_token_with_escape', { refreshToken: 'token\x1b[2J' }, "'refreshToken' has control characters"],
  ])('rejects a token response whose %s', (_name, override, message) => {
    const body = { accessToken: 'a', tokenType: 'Bearer', expiresIn: 3600, ...override };
    expect(() => validate('CreateToken', body)).toThrow(expect.objectContaining({ code: 'malformed_response', message: expect.stringContaining(message) }));
    expect(() => validate('CreateToken', body)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('token\r') }));
  });

  it.each<[string, keyof ResponseShapes, unknown, string]>([
    ['client_secret_with_newline', 'RegisterClient', { clientId: 'c', clientSecret: 's\n', clientIdIssuedAt: 1, clientSecretExpiresAt: 1 }, "'clientSecret' has control characters"],
    ['session_token_with_nul', 'GetRoleCredentials', { roleCredentials: { ...credentials, sessionToken: 'st\0' } }, "'roleCredentials.sessionToken' has control characters"],
    ['page_token_with_newline', 'ListAccounts', { accountList: [], nextToken: 'p\n2' }, "'nextToken' has control characters"],
  ])('rejects %s, as no string from IAM Identity Center holds one', (_name, operation, body, message) => {
    expect(() => validate(operation, body)).toThrow(expect.objectContaining({ code: 'malformed_response', message: expect.stringContaining(message) }));
  });
});
