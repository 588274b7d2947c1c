import { AwsServiceError } from './aws-service-error';
import { accountDisplayText, isAccountId, isRoleName } from '../core/aws-identifiers';
import { isLoopbackHost } from '../core/external-url-policy';
import { isJsonObject, type JsonObject } from '../core/json-object';
import { isPrintable } from '../core/printable-text';
import type { AccountInfo, RoleInfo } from '../core/identity-center-api';
import type {
  AwsOperation,
  CreateTokenResponse,
  GetRoleCredentialsResponse,
  GetSigninTokenResponse,
  ListAccountRolesResponse,
  ListAccountsResponse,
  RegisterClientResponse,
  StartDeviceAuthorizationResponse,
} from './wire-types';

/** What each operation's 200 body must look like once validated. */
export interface ResponseShapes {
  RegisterClient: RegisterClientResponse;
  StartDeviceAuthorization: StartDeviceAuthorizationResponse;
  CreateToken: CreateTokenResponse;
  ListAccounts: ListAccountsResponse;
  ListAccountRoles: ListAccountRolesResponse;
  GetRoleCredentials: GetRoleCredentialsResponse;
  Logout: undefined;
  GetSigninToken: GetSigninTokenResponse;
}

export interface ResponseContext {
  operation: AwsOperation;
  httpStatus: number;
  requestId: string | undefined;
}

/** RFC 8628 user codes are short and typed by hand; AWS sends `WDJB-MJHT`. */
const USER_CODE_PATTERN = /^[A-Za-z0-9-]{1,32}$/;
/**
 * Bounds far beyond what IAM Identity Center sends (device codes live 10 minutes and are
 * polled every 1 to 5 seconds; access tokens live 1 to 12 hours), and within what clocks,
 * timers and keychain records hold: a hostile answer of 1e20 once made credentials count
 * as fresh for ever and every later answer for the role fail on the date.
 */
const MAX_DEVICE_CODE_SECONDS = 24 * 60 * 60;
const MAX_POLL_INTERVAL_SECONDS = 60 * 60;
const MAX_TOKEN_SECONDS = 366 * 24 * 60 * 60;
/** 9999-12-31T23:59:59Z, the last instant an RFC 3339 timestamp can write. */
const LATEST_EPOCH_SECONDS = 253_402_300_799;
const LATEST_EPOCH_MS = LATEST_EPOCH_SECONDS * 1000 + 999;

/** RFC 6749 token types are names such as `Bearer`. */
const TOKEN_TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;
/**
 * Tokens, client ids and secrets and role credentials go into HTTP headers (the bearer
 * token, X-Amz-Security-Token), request bodies, the vault and the SDKs: visible ASCII
 * only, as AWS issues them. A character above U+00FF made Node refuse the next request
 * with a TypeError (ERR_INVALID_CHAR) instead of an error naming the answer; a Latin-1 one
 * went out as one byte, not the token's UTF-8; a space is trimmed or splits the value.
 */
const TOKEN_TEXT_PATTERN = /^[\x21-\x7e]+$/;
/** A verification page address: visible ASCII only (AWS's are), so nothing in it can hide or reorder text. */
const URL_TEXT_PATTERN = /^[\x21-\x7e]{1,2048}$/;

/**
 * Checks a success body field by field and returns it typed. A missing or mistyped field
 * is a `malformed_response` error naming the operation and the field (never its value,
 * which may be a token). Unknown extra fields are ignored, as AWS adds fields over time.
 *
 * No string from IAM Identity Center holds a control character. Account ids and role
 * names must follow AWS's rules, as they end up in the AWS config (a line break in one
 * would add a section with a credential_process of its choosing); account names and
 * email addresses are only shown, so one odd name is cleaned rather than failing the
 * whole listing. What a person is told to open or type (the verification page, the user
 * code) must look like it.
 */
export function validateResponse<O extends keyof ResponseShapes>(
  operation: O,
  bodyText: string,
  context: ResponseContext,
): ResponseShapes[O] {
  const validators: { [K in keyof ResponseShapes]: (body: JsonObject, at: FieldReader) => ResponseShapes[K] } = {
    RegisterClient: readRegisterClient,
    StartDeviceAuthorization: readStartDeviceAuthorization,
    CreateToken: readCreateToken,
    ListAccounts: readListAccounts,
    ListAccountRoles: readListAccountRoles,
    GetRoleCredentials: readGetRoleCredentials,
    Logout: () => undefined,
    GetSigninToken: readGetSigninToken,
  };
  // Logout's success carries nothing; whatever body it has is not ours to judge.
  const body = operation === 'Logout' ? {} : parseJsonObject(bodyText, context);
  return validators[operation](body, new FieldReader(context));
}

/** Parses a body that must be a JSON object; anything else is `malformed_response`. */
export function parseJsonObject(bodyText: string, context: ResponseContext): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    throw malformed(context, `${context.operation} returned a body that is not valid JSON`);
  }
  if (!isJsonObject(parsed)) {
    throw malformed(context, `${context.operation} returned JSON that is not an object`);
  }
  return parsed;
}

/**
 * A sign-in token goes into the URL the browser opens: visible ASCII only, and bounded
 * (AWS's are about a kilobyte; the whole URL must stay under browsers' limits).
 */
const SIGNIN_TOKEN_PATTERN = /^[\x21-\x7e]{1,8192}$/;

function readGetSigninToken(body: JsonObject, at: FieldReader): GetSigninTokenResponse {
  return { SigninToken: at.matching(body, 'SigninToken', (value) => SIGNIN_TOKEN_PATTERN.test(value), 'is not a sign-in token') };
}

function readRegisterClient(body: JsonObject, at: FieldReader): RegisterClientResponse {
  return {
    clientId: at.token(body, 'clientId'),
    clientSecret: at.token(body, 'clientSecret'),
    clientIdIssuedAt: at.epoch(body, 'clientIdIssuedAt', LATEST_EPOCH_SECONDS),
    clientSecretExpiresAt: at.epoch(body, 'clientSecretExpiresAt', LATEST_EPOCH_SECONDS),
  };
}

function readStartDeviceAuthorization(body: JsonObject, at: FieldReader): StartDeviceAuthorizationResponse {
  const authorization = {
    deviceCode: at.token(body, 'deviceCode'),
    userCode: at.matching(body, 'userCode', (value) => USER_CODE_PATTERN.test(value), 'is not a user code'),
    verificationUri: at.webUrl(body, 'verificationUri'),
    verificationUriComplete: at.webUrl(body, 'verificationUriComplete'),
    expiresIn: at.lifetimeSeconds(body, 'expiresIn', MAX_DEVICE_CODE_SECONDS),
    interval: at.optionalWaitSeconds(body, 'interval', MAX_POLL_INTERVAL_SECONDS),
  };
  // The direct link must open the page the prompt names, not one of the server's choosing.
  if (new URL(authorization.verificationUriComplete).origin !== new URL(authorization.verificationUri).origin) {
    throw at.bad('verificationUriComplete', "is not on the verificationUri's origin");
  }
  return authorization;
}

function readCreateToken(body: JsonObject, at: FieldReader): CreateTokenResponse {
  return {
    accessToken: at.token(body, 'accessToken'),
    tokenType: at.optionalMatching(body, 'tokenType', (value) => TOKEN_TYPE_PATTERN.test(value), 'is not a token type'),
    expiresIn: at.lifetimeSeconds(body, 'expiresIn', MAX_TOKEN_SECONDS),
    refreshToken: at.optionalToken(body, 'refreshToken'),
  };
}

function readListAccounts(body: JsonObject, at: FieldReader): ListAccountsResponse {
  const accountList = at.array(body, 'accountList').map(function readAccount(item, index): AccountInfo {
    const account = at.object(item, `accountList[${index}]`);
    const prefix = `accountList[${index}].`;
    return {
      accountId: at.accountId(account, 'accountId', prefix),
      accountName: at.optionalDisplayText(account, 'accountName', prefix),
      emailAddress: at.optionalDisplayText(account, 'emailAddress', prefix),
    };
  });
  return { accountList, nextToken: at.optionalToken(body, 'nextToken') };
}

function readListAccountRoles(body: JsonObject, at: FieldReader): ListAccountRolesResponse {
  const roleList = at.array(body, 'roleList').map(function readRole(item, index): RoleInfo {
    const role = at.object(item, `roleList[${index}]`);
    const prefix = `roleList[${index}].`;
    return {
      accountId: at.accountId(role, 'accountId', prefix),
      roleName: at.matching(role, 'roleName', isRoleName, 'is not an IAM role name', prefix),
    };
  });
  return { roleList, nextToken: at.optionalToken(body, 'nextToken') };
}

function readGetRoleCredentials(body: JsonObject, at: FieldReader): GetRoleCredentialsResponse {
  const credentials = at.object(body.roleCredentials, 'roleCredentials');
  const prefix = 'roleCredentials.';
  return {
    roleCredentials: {
      accessKeyId: at.token(credentials, 'accessKeyId', prefix),
      secretAccessKey: at.token(credentials, 'secretAccessKey', prefix),
      sessionToken: at.token(credentials, 'sessionToken', prefix),
      expiration: at.epoch(credentials, 'expiration', LATEST_EPOCH_MS, prefix),
    },
  };
}

/** Reads typed fields and reports the first bad one by its path. */
class FieldReader {
  constructor(private readonly context: ResponseContext) {}

  string(body: JsonObject, field: string, prefix = ''): string {
    return this.printableOnly(this.present(body, field, prefix), field, prefix);
  }

  optionalString(body: JsonObject, field: string, prefix = ''): string | undefined {
    const value = this.optional(body, field, prefix);
    return value === undefined ? undefined : this.printableOnly(value, field, prefix);
  }

  token(body: JsonObject, field: string, prefix = ''): string {
    return this.tokenText(this.string(body, field, prefix), field, prefix);
  }

  /**
   * An empty one is none: a refresh answer's `refreshToken: ""` would otherwise replace the
   * working refresh token (session-tokens keeps the old one only when the new is absent),
   * and a page's `nextToken: ""` would ask for a next page that does not exist.
   */
  optionalToken(body: JsonObject, field: string, prefix = ''): string | undefined {
    const value = this.optionalString(body, field, prefix);
    return value === undefined || value === '' ? undefined : this.tokenText(value, field, prefix);
  }

  /** Text only shown to people: cleaned and shortened, never a reason to fail. */
  optionalDisplayText(body: JsonObject, field: string, prefix = ''): string | undefined {
    const value = this.optional(body, field, prefix);
    return value === undefined ? undefined : accountDisplayText(value);
  }

  accountId(body: JsonObject, field: string, prefix = ''): string {
    return this.matching(body, field, isAccountId, 'is not a 12-digit account id', prefix);
  }

  matching(body: JsonObject, field: string, rule: (value: string) => boolean, problem: string, prefix = ''): string {
    const value = this.present(body, field, prefix);
    if (!rule(value)) throw this.bad(prefix + field, problem);
    return value;
  }

  optionalMatching(body: JsonObject, field: string, rule: (value: string) => boolean, problem: string): string | undefined {
    const value = this.optional(body, field, '');
    if (value !== undefined && !rule(value)) throw this.bad(field, problem);
    return value;
  }

  /** An https address, or plain http on this machine (the emulator, an endpoint override: docs/emulator.md). */
  webUrl(body: JsonObject, field: string): string {
    const value = this.present(body, field, '');
    const url = URL_TEXT_PATTERN.test(value) ? parseUrl(value) : undefined;
    const allowed =
      url !== undefined &&
      url.username === '' &&
      url.password === '' &&
      (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)));
    if (!allowed) throw this.bad(field, 'is not an https URL');
    return value;
  }

  number(body: JsonObject, field: string, prefix = ''): number {
    const value = body[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw this.bad(prefix + field, value === undefined || value === null ? 'is missing' : 'is not a number');
    }
    return value;
  }

  /**
   * A lifetime in whole seconds (the model's integer), above zero and at most `maxSeconds`:
   * one of zero or less would read as signed in with a token already dead, and an absurd
   * one as a time no clock or record can hold.
   */
  lifetimeSeconds(body: JsonObject, field: string, maxSeconds: number): number {
    const value = this.number(body, field);
    if (!Number.isInteger(value)) throw this.bad(field, 'is not a whole number of seconds');
    if (value <= 0) throw this.bad(field, 'is not a positive number');
    if (value > maxSeconds) throw this.bad(field, `is longer than ${maxSeconds} seconds`);
    return value;
  }

  /** A point in time as whole units since 1970 (seconds or milliseconds), no later than the year 9999. */
  epoch(body: JsonObject, field: string, latest: number, prefix = ''): number {
    const value = this.number(body, field, prefix);
    if (!Number.isSafeInteger(value) || value < 0 || value > latest) throw this.bad(prefix + field, 'is not a time between 1970 and 9999');
    return value;
  }

  optionalNumber(body: JsonObject, field: string, prefix = ''): number | undefined {
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.bad(prefix + field, 'is not a number');
    return value;
  }

  /**
   * A wait in seconds: 0 means the default (RFC 8628), a negative one means nothing. A
   * fraction is taken (the device flow raises it to its one-second floor).
   */
  optionalWaitSeconds(body: JsonObject, field: string, maxSeconds: number): number | undefined {
    const value = this.optionalNumber(body, field);
    if (value === undefined) return undefined;
    if (value < 0) throw this.bad(field, 'is a negative number');
    if (value > maxSeconds) throw this.bad(field, `is longer than ${maxSeconds} seconds`);
    return value;
  }

  array(body: JsonObject, field: string): unknown[] {
    const value = body[field];
    if (!Array.isArray(value)) {
      throw this.bad(field, value === undefined || value === null ? 'is missing' : 'is not a list');
    }
    return value;
  }

  object(value: unknown, path: string): JsonObject {
    if (!isJsonObject(value)) {
      throw this.bad(path, value === undefined || value === null ? 'is missing' : 'is not an object');
    }
    return value;
  }

  bad(path: string, problem: string): AwsServiceError {
    return malformed(this.context, `${this.context.operation} response field '${path}' ${problem}`);
  }

  private present(body: JsonObject, field: string, prefix: string): string {
    const value = body[field];
    if (typeof value !== 'string' || value === '') {
      throw this.bad(prefix + field, value === undefined || value === null ? 'is missing' : 'is not a non-empty string');
    }
    return value;
  }

  private optional(body: JsonObject, field: string, prefix: string): string | undefined {
    // AWS writes absent optional members as missing; some proxies and emulators write null.
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw this.bad(prefix + field, 'is not a string');
    return value;
  }

  private tokenText(value: string, field: string, prefix: string): string {
    if (!TOKEN_TEXT_PATTERN.test(value)) throw this.bad(prefix + field, 'has a character other than visible ASCII, which an HTTP header cannot carry');
    return value;
  }

  private printableOnly(value: string, field: string, prefix: string): string {
    if (!isPrintable(value)) throw this.bad(prefix + field, 'has control characters');
    return value;
  }
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function malformed(context: ResponseContext, message: string): AwsServiceError {
  return new AwsServiceError('malformed_response', message, {
    operation: context.operation,
    httpStatus: context.httpStatus,
    requestId: context.requestId,
  });
}
