import { createHmac, timingSafeEqual } from 'node:crypto';
import { PortalError } from './wire-errors';

/** The portal's documented bounds for max_result. */
const MIN_PAGE_SIZE = 1;
const MAX_PAGE_SIZE = 100;
/** AWS documents no default page size; 20 keeps a default directory to one page and a big one to many. */
export const DEFAULT_PAGE_SIZE = 20;

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

/**
 * Opaque page tokens: the offset and the listing it belongs to, signed, so a tampered
 * token or one from another listing is rejected as AWS rejects them.
 */
export class PageTokens {
  constructor(private readonly key: Buffer) {}

  page<T>(items: readonly T[], listing: string, nextToken: string | null, maxResult: string | null): Page<T> {
    const size = readPageSize(maxResult);
    const offset = nextToken === null || nextToken === '' ? 0 : this.decode(listing, nextToken);
    const end = offset + size;
    return {
      items: items.slice(offset, end),
      nextToken: end < items.length ? this.encode(listing, end) : undefined,
    };
  }

  private encode(listing: string, offset: number): string {
    const payload = Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
    return `${payload}.${this.sign(listing, payload).toString('base64url')}`;
  }

  private decode(listing: string, token: string): number {
    const [payload, signature, extra] = token.split('.');
    if (payload === undefined || signature === undefined || extra !== undefined) throw invalidToken();
    const expected = this.sign(listing, payload);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidToken();
    const decoded: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const offset = typeof decoded === 'object' && decoded !== null ? (decoded as { o?: unknown }).o : undefined;
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw invalidToken();
    return offset;
  }

  private sign(listing: string, payload: string): Buffer {
    return createHmac('sha256', this.key).update(`${listing}\n${payload}`).digest();
  }
}

function readPageSize(value: string | null): number {
  if (value === null || value === '') return DEFAULT_PAGE_SIZE;
  const size = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(size) || size < MIN_PAGE_SIZE || size > MAX_PAGE_SIZE) {
    throw new PortalError('InvalidRequestException', `max_result must be an integer from ${MIN_PAGE_SIZE} to ${MAX_PAGE_SIZE}.`);
  }
  return size;
}

function invalidToken(): PortalError {
  return new PortalError('InvalidRequestException', 'Invalid next_token.');
}
