import type { RegionVariableName } from './region-variables';

/** The credentials `latchkey export` writes, in the credential_process names. */
export interface ExportedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** RFC 3339, as credential_process prints it. */
  Expiration: string;
}

/**
 * `export NAME='value'` lines for a POSIX shell: what `eval "$(latchkey export ...)"` runs
 * and what the window's "Copy export commands" puts on the clipboard.
 */
export function exportCommands(credentials: ExportedCredentials, regionVariables: Partial<Record<RegionVariableName, string>>): string {
  return [
    ['AWS_ACCESS_KEY_ID', credentials.AccessKeyId],
    ['AWS_SECRET_ACCESS_KEY', credentials.SecretAccessKey],
    ['AWS_SESSION_TOKEN', credentials.SessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', credentials.Expiration],
    ...Object.entries(regionVariables),
  ]
    .map(([name, value]) => `export ${name}=${shellQuote(value ?? '')}\n`)
    .join('');
}

/** POSIX single quotes: nothing inside is special except `'`, written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
