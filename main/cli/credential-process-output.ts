import { LatchkeyError } from '../core/errors';
import type { AgentCredentials } from './agent-responses';

/** The one line `credential_process` prints: exactly these keys, Version the integer 1 (botocore rejects any other). */
export function credentialProcessLine(credentials: AgentCredentials): string {
  const output = {
    Version: 1,
    AccessKeyId: credentials.AccessKeyId,
    SecretAccessKey: credentials.SecretAccessKey,
    SessionToken: credentials.SessionToken,
    Expiration: credentials.Expiration,
  };
  return `${JSON.stringify(output)}\n`;
}

/** `2026-01-01T00:00:00Z`: RFC 3339 UTC without fractions, as docs/contract.md section 8 shows it. */
export function toRfc3339Seconds(text: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new LatchkeyError('malformed_response', 'The Latchkey agent sent credentials with an unreadable expiry time.');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
