import { describe, expect, it } from 'vitest';
import {
  chunkAccountName,
  contentHash,
  headBlob,
  inlineBlob,
  KEYCHAIN_BLOB_MAX_BYTES,
  parseChunkAccount,
  parseStoredBlob,
  splitIntoChunks,
  storedBlobBytes,
} from '../../../main/store/keychain-blob-format';

describe('storedBlobBytes counts the worse of UTF-8 and UTF-16', () => {
  it.each([
    ['ASCII, 2 bytes each in UTF-16', 'abc', 6],
    ['Latin-1, 2 bytes in both', 'żó', 4],
    ['CJK, 3 bytes in UTF-8', '日本', 6],
    ['emoji, 4 bytes in both', '🔑', 4],
    ['empty', '', 0],
  ])('%s', (_name, text, bytes) => {
    expect(storedBlobBytes(text)).toBe(bytes);
  });
});

describe('splitIntoChunks', () => {
  it.each([
    ['ASCII', 'a'.repeat(5_000)],
    ['CJK', '日本語'.repeat(2_000)],
    ['emoji', '🔑'.repeat(3_000)],
    ['a mix', `a日🔑ż`.repeat(1_500)],
  ])('cuts %s into pieces that join back and fit, never inside a surrogate pair', (_name, value) => {
    const chunks = splitIntoChunks(value);
    expect(chunks.join('')).toBe(value);
    for (const chunk of chunks) {
      expect(storedBlobBytes(chunk)).toBeLessThanOrEqual(KEYCHAIN_BLOB_MAX_BYTES);
      expect(Buffer.from(chunk, 'utf8').toString('utf8')).toBe(chunk);
    }
  });

  it('uses the fewest chunks for ASCII: 1,280 characters each', () => {
    expect(splitIntoChunks('a'.repeat(2_561)).map((chunk) => chunk.length)).toEqual([1_280, 1_280, 1]);
  });
});

describe('stored blob tags', () => {
  it('reads back an inline value, the empty one included', () => {
    expect(parseStoredBlob(inlineBlob(''))).toEqual({ kind: 'inline', value: '' });
    expect(parseStoredBlob(inlineBlob('chunked:{}'))).toEqual({ kind: 'inline', value: 'chunked:{}' });
  });

  it('reads back a head', () => {
    const head = { generation: '0123456789ab', chunks: 3, sha256: contentHash('x') };
    expect(parseStoredBlob(headBlob(head))).toEqual({ kind: 'head', head });
  });

  it.each([
    ['no tag', 'plain'],
    ['a head with a bad generation', `chunked:{"generation":"../x","chunks":1,"sha256":"${contentHash('x')}"}`],
    ['a head with too many chunks', `chunked:{"generation":"0123456789ab","chunks":101,"sha256":"${contentHash('x')}"}`],
    ['a head without a hash', 'chunked:{"generation":"0123456789ab","chunks":1}'],
    ['a head that is an array', 'chunked:[]'],
  ])('treats %s as foreign', (_name, text) => {
    expect(parseStoredBlob(text)).toEqual({ kind: 'foreign' });
  });
});

describe('chunk account names', () => {
  it('round trip', () => {
    expect(parseChunkAccount(chunkAccountName('token:a%20b', '0123456789ab', 12))).toEqual({
      key: 'token:a%20b',
      generation: '0123456789ab',
      index: 12,
    });
  });

  it.each([['token:work'], ['a#b'], ['a#0123456789ab#0'], ['#0123456789ab#1'], ['a#0123456789ab#1#2']])(
    'rejects %j',
    (account) => {
      expect(parseChunkAccount(account)).toBeUndefined();
    },
  );
});
