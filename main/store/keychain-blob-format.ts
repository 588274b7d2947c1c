import { createHash, randomBytes } from 'node:crypto';

/**
 * How one logical value is laid out in keychain records. A value that fits one blob is
 * stored under its key as `inline:<value>`. A larger one is split into chunk records
 * `<key>#<generation>#1..n` and a head `chunked:{"generation","chunks","sha256"}` under
 * the key. The tags also make the empty string storable (keytar refuses an empty
 * password) and let a reader tell our records from anything else.
 */

/** Windows Credential Manager refuses a blob over CRED_MAX_CREDENTIAL_BLOB_SIZE (5 * 512 bytes). */
export const KEYCHAIN_BLOB_MAX_BYTES = 2_560;

/** Guards a reader against a damaged head that names a huge count; 100 chunks hold over 120 KB. */
export const MAX_CHUNKS = 100;

const INLINE_TAG = 'inline:';
const HEAD_TAG = 'chunked:';
/** Logical keys may not contain it (see secret-records-keys.ts), so chunk names never collide with them. */
const CHUNK_SEPARATOR = '#';
const GENERATION_PATTERN = /^[0-9a-f]{12}$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export interface ChunkHead {
  /** Fresh for every write, so new chunks never overwrite the ones the current head names. */
  generation: string;
  chunks: number;
  /** Of the whole value, so a reader detects chunks from another write or a damaged one. */
  sha256: string;
}

export type StoredBlob = { kind: 'inline'; value: string } | { kind: 'head'; head: ChunkHead } | { kind: 'foreign' };

export interface ChunkAccount {
  key: string;
  generation: string;
  index: number;
}

/**
 * The size a blob may take in the keychain: the larger of its UTF-8 and UTF-16 forms.
 * keytar's Windows binding writes the UTF-8 bytes today, but UTF-16 is Windows' own
 * encoding (and what other bindings write), where even ASCII takes 2 bytes per character.
 * Budgeting for the worse of the two keeps every blob storable whichever encoding is
 * used; applying it on every platform keeps one code path that Linux tests exercise.
 */
export function storedBlobBytes(text: string): number {
  let utf8 = 0;
  for (const char of text) utf8 += utf8Length(char);
  return Math.max(utf8, text.length * 2);
}

function utf8Length(char: string): number {
  const codePoint = char.codePointAt(0) ?? 0;
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}

export function inlineBlob(value: string): string {
  return `${INLINE_TAG}${value}`;
}

export function fitsInline(value: string): boolean {
  return storedBlobBytes(inlineBlob(value)) <= KEYCHAIN_BLOB_MAX_BYTES;
}

export function headBlob(head: ChunkHead): string {
  return `${HEAD_TAG}${JSON.stringify({ generation: head.generation, chunks: head.chunks, sha256: head.sha256 })}`;
}

export function parseStoredBlob(text: string): StoredBlob {
  if (text.startsWith(INLINE_TAG)) return { kind: 'inline', value: text.slice(INLINE_TAG.length) };
  if (!text.startsWith(HEAD_TAG)) return { kind: 'foreign' };
  const head = parseHead(text.slice(HEAD_TAG.length));
  return head === undefined ? { kind: 'foreign' } : { kind: 'head', head };
}

function parseHead(json: string): ChunkHead | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { generation, chunks, sha256 } = parsed as Record<string, unknown>;
  if (typeof generation !== 'string' || !GENERATION_PATTERN.test(generation)) return undefined;
  if (typeof chunks !== 'number' || !Number.isInteger(chunks) || chunks < 1 || chunks > MAX_CHUNKS) return undefined;
  if (typeof sha256 !== 'string' || !SHA256_PATTERN.test(sha256)) return undefined;
  return { generation, chunks, sha256 };
}

/**
 * Splits on code point boundaries (a surrogate pair cut in two would be stored as U+FFFD)
 * into the fewest pieces whose every blob fits the limit.
 */
export function splitIntoChunks(value: string): string[] {
  const chunks: string[] = [];
  let current = '';
  let utf8 = 0;
  for (const char of value) {
    const nextUtf8 = utf8 + utf8Length(char);
    const nextUtf16Bytes = (current.length + char.length) * 2;
    if (current !== '' && Math.max(nextUtf8, nextUtf16Bytes) > KEYCHAIN_BLOB_MAX_BYTES) {
      chunks.push(current);
      current = '';
      utf8 = 0;
    }
    current += char;
    utf8 += utf8Length(char);
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

export function contentHash(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function newGeneration(): string {
  return randomBytes(6).toString('hex');
}

export function chunkAccountName(key: string, generation: string, index: number): string {
  return [key, generation, String(index)].join(CHUNK_SEPARATOR);
}

/** `undefined` for a logical key (no separator) or a name that is not one of our chunks. */
export function parseChunkAccount(account: string): ChunkAccount | undefined {
  const parts = account.split(CHUNK_SEPARATOR);
  if (parts.length !== 3) return undefined;
  const [key, generation, index] = parts as [string, string, string];
  if (key === '' || !GENERATION_PATTERN.test(generation) || !/^[1-9][0-9]*$/.test(index)) return undefined;
  return { key, generation, index: Number(index) };
}

export function isChunkAccount(account: string): boolean {
  return account.includes(CHUNK_SEPARATOR);
}
