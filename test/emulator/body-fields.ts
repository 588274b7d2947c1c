/**
 * Typed reads of untrusted request fields. Each throws FieldError naming the field;
 * callers turn that into their own wire error (OIDC invalid_request, portal
 * InvalidRequestException, admin 400).
 */
export class FieldError extends Error {}

export type Fields = Record<string, unknown>;

export function requiredString(fields: Fields, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value === '') throw new FieldError(`${name} is required and must be a non-empty string.`);
  return value;
}

export function optionalString(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FieldError(`${name} must be a string.`);
  return value;
}

export function optionalStringList(fields: Fields, name: string): string[] | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new FieldError(`${name} must be a list of strings.`);
  }
  return value;
}

export function optionalInteger(fields: Fields, name: string, min: number, max: number): number | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FieldError(`${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

export function requiredInteger(fields: Fields, name: string, min: number, max: number): number {
  const value = optionalInteger(fields, name, min, max);
  if (value === undefined) throw new FieldError(`${name} is required.`);
  return value;
}

export function rejectUnknownFields(fields: Fields, allowed: readonly string[]): void {
  const unknown = Object.keys(fields).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new FieldError(`Unknown field(s): ${unknown.join(', ')}. Allowed: ${allowed.join(', ')}.`);
}

export function optionalObject(fields: Fields, name: string): Fields | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FieldError(`${name} must be an object.`);
  return value as Fields;
}
