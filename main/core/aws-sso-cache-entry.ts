import { isPrintable } from './printable-text';

/**
 * The AWS CLI's SSO token cache file (`~/.aws/sso/cache/<sha1(session)>.json`, docs/contract.md
 * section 8), as botocore's SSOTokenProvider and the JS SDK's fromSSO read it. Export
 * lets those tools use Latchkey's session (opt-in, `latchkey_sync_aws_cache`); import lets
 * a user already signed in with `aws sso login` skip a second sign-in.
 */
export interface AwsSsoCacheEntry {
  startUrl: string;
  region: string;
  accessToken: string;
  expiresAtMs: number;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAtMs?: number;
  refreshToken?: string;
}

/**
 * An imported token that cannot be refreshed must outlive this, or it would fail soon
 * after. One that carries a refresh token and its client is imported whatever time it has
 * left, expired included: the refresh renews it, so no second sign-in is needed.
 */
export const IMPORT_MIN_TTL_MS = 10 * 60 * 1000;

/**
 * The file's JSON, keys in the order the AWS CLI writes them. Times as botocore writes
 * them (`%Y-%m-%dT%H:%M:%SZ`): whole seconds, UTC, `Z`. Registration fields and the
 * refresh token are written only when known; without them the SDKs use the token until
 * it expires and cannot refresh it.
 */
export function formatAwsSsoCacheEntry(entry: AwsSsoCacheEntry): string {
  const json: Record<string, string> = {
    startUrl: entry.startUrl,
    region: entry.region,
    accessToken: entry.accessToken,
    expiresAt: awsCacheTime(entry.expiresAtMs),
  };
  if (entry.clientId !== undefined && entry.clientSecret !== undefined) {
    json['clientId'] = entry.clientId;
    json['clientSecret'] = entry.clientSecret;
    if (entry.registrationExpiresAtMs !== undefined) json['registrationExpiresAt'] = awsCacheTime(entry.registrationExpiresAtMs);
    if (entry.refreshToken !== undefined) json['refreshToken'] = entry.refreshToken;
  }
  return JSON.stringify(json);
}

/** `2026-01-01T00:00:00Z`. */
export function awsCacheTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The entry, or undefined when the text is not a usable cache file (the caller then signs in as usual). */
export function parseAwsSsoCacheEntry(text: string): AwsSsoCacheEntry | undefined {
  const read = readAwsSsoCacheEntry(text);
  return 'entry' in read ? read.entry : undefined;
}

/**
 * Tokens, the client id and its secret go into HTTP headers and request bodies, and into
 * Latchkey's vault: visible ASCII only, as IAM Identity Center issues them. A line break
 * in one would end a header and start another of the file's choosing; a character above
 * U+00FF makes Node refuse the request with a TypeError (ERR_INVALID_CHAR) instead of a
 * sign-in error, and a Latin-1 one goes out as one byte, not the token's UTF-8.
 */
const TOKEN_TEXT_PATTERN = /^[\x21-\x7e]+$/;

/**
 * The entry, or why the text is not a usable cache file: one sentence naming the field
 * and what is wrong with it, never its value (which may be a token).
 */
export function readAwsSsoCacheEntry(text: string): { entry: AwsSsoCacheEntry } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'The AWS CLI SSO cache file is not valid JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'The AWS CLI SSO cache file is not a JSON object.' };
  const o = value as Record<string, unknown>;
  const fields = new CacheFields(o);
  try {
    const startUrl = fields.text('startUrl');
    const region = fields.text('region');
    const accessToken = fields.token('accessToken');
    const expiresAtMs = fields.time('expiresAt');
    if (startUrl === undefined || region === undefined || accessToken === undefined || expiresAtMs === undefined) {
      return { problem: `The AWS CLI SSO cache file has no usable ${fields.firstMissing(['startUrl', 'region', 'accessToken', 'expiresAt'])}.` };
    }
    const entry: AwsSsoCacheEntry = { startUrl, region, accessToken, expiresAtMs };
    const clientId = fields.token('clientId');
    const clientSecret = fields.token('clientSecret');
    if (clientId !== undefined && clientSecret !== undefined) {
      entry.clientId = clientId;
      entry.clientSecret = clientSecret;
      const registrationExpiresAtMs = fields.time('registrationExpiresAt');
      if (registrationExpiresAtMs !== undefined) entry.registrationExpiresAtMs = registrationExpiresAtMs;
      const refreshToken = fields.token('refreshToken');
      if (refreshToken !== undefined) entry.refreshToken = refreshToken;
    }
    return { entry };
  } catch (error) {
    if (error instanceof UnusableField) return { problem: error.message };
    throw error;
  }
}

class UnusableField extends Error {}

/** Reads the file's fields: absent or mistyped ones are undefined, as before; ones with characters no AWS tool writes are refused. */
class CacheFields {
  constructor(private readonly o: Record<string, unknown>) {}

  /** Shown to people and compared with the config (startUrl, region): printable text. */
  text(field: string): string | undefined {
    const value = str(this.o[field]);
    if (value !== undefined && !isPrintable(value)) throw this.refuse(field, 'has a control character');
    return value;
  }

  token(field: string): string | undefined {
    const value = str(this.o[field]);
    if (value !== undefined && !TOKEN_TEXT_PATTERN.test(value)) {
      throw this.refuse(field, 'has a space, a control character or a non-ASCII character, which an HTTP header cannot carry');
    }
    return value;
  }

  time(field: string): number | undefined {
    return time(this.o[field]);
  }

  firstMissing(fields: string[]): string {
    return fields.find((field) => (field.endsWith('At') ? this.time(field) : str(this.o[field])) === undefined) ?? fields[0] ?? '';
  }

  private refuse(field: string, problem: string): UnusableField {
    return new UnusableField(`The AWS CLI SSO cache file's ${field} ${problem}, so Latchkey will not use it.`);
  }
}

/**
 * Whether a cache entry can stand in for a sign-in to `session`: same portal and region
 * (a token is only good at the portal that issued it), and either refreshable (a refresh
 * token with a client registration still valid) or with time left.
 */
export function isImportable(entry: AwsSsoCacheEntry, session: { startUrl: string; region: string }, nowMs: number): boolean {
  return (
    sameStartUrl(entry.startUrl, session.startUrl) &&
    entry.region === session.region &&
    (isRefreshable(entry, nowMs) || entry.expiresAtMs - nowMs > IMPORT_MIN_TTL_MS)
  );
}

/** Whether the entry carries what a refresh needs: a refresh token and a client registration that has not expired. */
export function isRefreshable(entry: AwsSsoCacheEntry, nowMs: number): boolean {
  return (
    entry.refreshToken !== undefined &&
    entry.clientId !== undefined &&
    entry.clientSecret !== undefined &&
    entry.registrationExpiresAtMs !== undefined &&
    entry.registrationExpiresAtMs > nowMs
  );
}

/** Start URLs copied from the browser may end in `/`, `#` or `#/`; they name the same portal. */
function sameStartUrl(a: string, b: string): boolean {
  const norm = (s: string): string => s.trim().replace(/[/#]+$/, '').toLowerCase();
  return norm(a) === norm(b);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** botocore writes `...Z`; older AWS CLI versions wrote `...UTC`; both name UTC. */
function time(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value.replace(/UTC$/, 'Z'));
  return Number.isNaN(ms) ? undefined : ms;
}
