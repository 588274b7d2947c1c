import { AwsServiceError } from './aws-service-error';
import { isJsonObject, type JsonObject } from '../core/json-object';
import type { AccountInfo, RoleInfo } from '../core/identity-center-api';
import type {
  AwsOperation,
  CreateTokenResponse,
  GetRoleCredentialsResponse,
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
}

export interface ResponseContext {
  operation: AwsOperation;
  httpStatus: number;
  requestId: string | undefined;
}


/**
 * Checks a success body field by field and returns it typed. A missing or mistyped field
 * is a `malformed_response` error naming the operation and the field (never its value,
 * which may be a token). Unknown extra fields are ignored, as AWS adds fields over time.
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

function readRegisterClient(body: JsonObject, at: FieldReader): RegisterClientResponse {
  return {
    clientId: at.string(body, 'clientId'),
    clientSecret: at.string(body, 'clientSecret'),
    clientIdIssuedAt: at.number(body, 'clientIdIssuedAt'),
    clientSecretExpiresAt: at.number(body, 'clientSecretExpiresAt'),
  };
}

function readStartDeviceAuthorization(body: JsonObject, at: FieldReader): StartDeviceAuthorizationResponse {
  return {
    deviceCode: at.string(body, 'deviceCode'),
    userCode: at.string(body, 'userCode'),
    verificationUri: at.string(body, 'verificationUri'),
    verificationUriComplete: at.string(body, 'verificationUriComplete'),
    expiresIn: at.number(body, 'expiresIn'),
    interval: at.optionalNumber(body, 'interval'),
  };
}

function readCreateToken(body: JsonObject, at: FieldReader): CreateTokenResponse {
  return {
    accessToken: at.string(body, 'accessToken'),
    tokenType: at.optionalString(body, 'tokenType'),
    expiresIn: at.number(body, 'expiresIn'),
    refreshToken: at.optionalString(body, 'refreshToken'),
  };
}

function readListAccounts(body: JsonObject, at: FieldReader): ListAccountsResponse {
  const accountList = at.array(body, 'accountList').map(function readAccount(item, index): AccountInfo {
    const account = at.object(item, `accountList[${index}]`);
    return {
      accountId: at.string(account, 'accountId', `accountList[${index}].`),
      accountName: at.optionalString(account, 'accountName', `accountList[${index}].`),
      emailAddress: at.optionalString(account, 'emailAddress', `accountList[${index}].`),
    };
  });
  return { accountList, nextToken: at.optionalString(body, 'nextToken') };
}

function readListAccountRoles(body: JsonObject, at: FieldReader): ListAccountRolesResponse {
  const roleList = at.array(body, 'roleList').map(function readRole(item, index): RoleInfo {
    const role = at.object(item, `roleList[${index}]`);
    return {
      accountId: at.string(role, 'accountId', `roleList[${index}].`),
      roleName: at.string(role, 'roleName', `roleList[${index}].`),
    };
  });
  return { roleList, nextToken: at.optionalString(body, 'nextToken') };
}

function readGetRoleCredentials(body: JsonObject, at: FieldReader): GetRoleCredentialsResponse {
  const credentials = at.object(body.roleCredentials, 'roleCredentials');
  const prefix = 'roleCredentials.';
  return {
    roleCredentials: {
      accessKeyId: at.string(credentials, 'accessKeyId', prefix),
      secretAccessKey: at.string(credentials, 'secretAccessKey', prefix),
      sessionToken: at.string(credentials, 'sessionToken', prefix),
      expiration: at.number(credentials, 'expiration', prefix),
    },
  };
}

/** Reads typed fields and reports the first bad one by its path. */
class FieldReader {
  constructor(private readonly context: ResponseContext) {}

  string(body: JsonObject, field: string, prefix = ''): string {
    const value = body[field];
    if (typeof value !== 'string' || value === '') {
      throw this.bad(prefix + field, value === undefined || value === null ? 'is missing' : 'is not a non-empty string');
    }
    return value;
  }

  optionalString(body: JsonObject, field: string, prefix = ''): string | undefined {
    // AWS writes absent optional members as missing; some proxies and emulators write null.
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw this.bad(prefix + field, 'is not a string');
    return value;
  }

  number(body: JsonObject, field: string, prefix = ''): number {
    const value = body[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw this.bad(prefix + field, value === undefined || value === null ? 'is missing' : 'is not a number');
    }
    return value;
  }

  optionalNumber(body: JsonObject, field: string, prefix = ''): number | undefined {
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.bad(prefix + field, 'is not a number');
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

  private bad(path: string, problem: string): AwsServiceError {
    return malformed(this.context, `${this.context.operation} response field '${path}' ${problem}`);
  }
}

function malformed(context: ResponseContext, message: string): AwsServiceError {
  return new AwsServiceError('malformed_response', message, {
    operation: context.operation,
    httpStatus: context.httpStatus,
    requestId: context.requestId,
  });
}
