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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const startUrl = str(o['startUrl']);
  const region = str(o['region']);
  const accessToken = str(o['accessToken']);
  const expiresAtMs = time(o['expiresAt']);
  if (startUrl === undefined || region === undefined || accessToken === undefined || expiresAtMs === undefined) return undefined;
  const entry: AwsSsoCacheEntry = { startUrl, region, accessToken, expiresAtMs };
  const clientId = str(o['clientId']);
  const clientSecret = str(o['clientSecret']);
  if (clientId !== undefined && clientSecret !== undefined) {
    entry.clientId = clientId;
    entry.clientSecret = clientSecret;
    const registrationExpiresAtMs = time(o['registrationExpiresAt']);
    if (registrationExpiresAtMs !== undefined) entry.registrationExpiresAtMs = registrationExpiresAtMs;
    const refreshToken = str(o['refreshToken']);
    if (refreshToken !== undefined) entry.refreshToken = refreshToken;
  }
  return entry;
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
