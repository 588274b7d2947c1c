import type { OperationName } from './operations';

/** `missing-field` drops the field from the real answer; `wrong-type` gives it a value of another JSON type. */
export type AlteredField = 'missing-field' | 'wrong-type';

export interface FieldAlteration {
  kind: AlteredField;
  /** A dotted path into the answer, e.g. `roleCredentials.secretAccessKey`. */
  field: string;
}

/**
 * The field altered when a fault names none: one every client must have to go on (the
 * token, the registration's id, the listing, the secret key). Logout and ConsoleLogin
 * answer without a JSON body, so they have none.
 */
const DEFAULT_FIELDS: Partial<Record<OperationName, string>> = {
  RegisterClient: 'clientId',
  StartDeviceAuthorization: 'deviceCode',
  CreateToken: 'accessToken',
  ListAccounts: 'accountList',
  ListAccountRoles: 'roleList',
  GetRoleCredentials: 'roleCredentials.secretAccessKey',
  GetSigninToken: 'SigninToken',
};

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,4}$/;

export function defaultAlteredField(operation: OperationName): string | undefined {
  return DEFAULT_FIELDS[operation];
}

export function isFieldPath(value: unknown): value is string {
  return typeof value === 'string' && FIELD_PATH.test(value);
}

/** The fault names a field the real answer does not hold: the emulator says so rather than send the answer unaltered. */
export class AlterationError extends Error {}

/** A copy of `answer` with the field removed or retyped; `answer` itself is left as it was. */
export function alterAnswer(answer: unknown, alteration: FieldAlteration): unknown {
  const copy: unknown = JSON.parse(JSON.stringify(answer));
  const names = alteration.field.split('.');
  const last = names.pop() ?? '';
  let parent: unknown = copy;
  for (const name of names) parent = isRecord(parent) ? parent[name] : undefined;
  if (!isRecord(parent) || !(last in parent)) throw new AlterationError(`the answer has no field ${alteration.field} to alter`);
  if (alteration.kind === 'missing-field') Reflect.deleteProperty(parent, last);
  else parent[last] = valueOfAnotherType(parent[last]);
  return copy;
}

/** A string becomes a number, a number a string, a list an object, and anything else a list. */
function valueOfAnotherType(value: unknown): unknown {
  if (typeof value === 'string') return 42;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return {};
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
