import { FieldError, optionalInteger, rejectUnknownFields, type Fields } from './body-fields';

// Defaults follow AWS (docs/contract.md section 5).
/** Access token for a client registered with scopes: one hour, renewed by refresh. */
export const DEFAULT_ACCESS_TOKEN_SECONDS = 3600;
/** Without scopes there is no refresh token, so AWS issues a token for the whole 8-hour session. */
export const DEFAULT_UNSCOPED_ACCESS_TOKEN_SECONDS = 8 * 3600;
/** AWS caps refresh tokens at 90 days. */
export const DEFAULT_REFRESH_TOKEN_SECONDS = 90 * 24 * 3600;
export const DEFAULT_ROLE_CREDENTIALS_SECONDS = 3600;
export const DEFAULT_DEVICE_CODE_SECONDS = 600;
export const DEFAULT_CLIENT_REGISTRATION_SECONDS = 90 * 24 * 3600;
export const DEFAULT_INTERVAL_SECONDS = 1;
/** An arbitrary ceiling that keeps expiry arithmetic far from overflow. */
const MAX_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

export interface Lifetimes {
  /** When undefined, the AWS default for the client's kind (scoped or not) applies. */
  accessTokenSeconds: number | undefined;
  refreshTokenSeconds: number;
  roleCredentialsSeconds: number;
  deviceCodeSeconds: number;
  clientRegistrationSeconds: number;
  intervalSeconds: number;
}

export function defaultLifetimes(): Lifetimes {
  return {
    accessTokenSeconds: undefined,
    refreshTokenSeconds: DEFAULT_REFRESH_TOKEN_SECONDS,
    roleCredentialsSeconds: DEFAULT_ROLE_CREDENTIALS_SECONDS,
    deviceCodeSeconds: DEFAULT_DEVICE_CODE_SECONDS,
    clientRegistrationSeconds: DEFAULT_CLIENT_REGISTRATION_SECONDS,
    intervalSeconds: DEFAULT_INTERVAL_SECONDS,
  };
}

export function accessTokenSecondsFor(lifetimes: Lifetimes, scoped: boolean): number {
  if (lifetimes.accessTokenSeconds !== undefined) return lifetimes.accessTokenSeconds;
  return scoped ? DEFAULT_ACCESS_TOKEN_SECONDS : DEFAULT_UNSCOPED_ACCESS_TOKEN_SECONDS;
}

const LIFETIME_FIELDS = [
  'accessTokenSeconds',
  'refreshTokenSeconds',
  'roleCredentialsSeconds',
  'deviceCodeSeconds',
  'clientRegistrationSeconds',
  'intervalSeconds',
] as const;

/** Applies `POST /_emulator/lifetimes`; throws FieldError before changing anything. */
export function applyLifetimeChanges(lifetimes: Lifetimes, body: Fields): void {
  rejectUnknownFields(body, LIFETIME_FIELDS);
  if (Object.keys(body).length === 0) throw new FieldError(`Give at least one of: ${LIFETIME_FIELDS.join(', ')}.`);
  const changes: Partial<Lifetimes> = {};
  for (const name of LIFETIME_FIELDS) {
    const min = name === 'intervalSeconds' ? 0 : 1;
    const value = optionalInteger(body, name, min, MAX_LIFETIME_SECONDS);
    if (value !== undefined) changes[name] = value;
  }
  Object.assign(lifetimes, changes);
}
