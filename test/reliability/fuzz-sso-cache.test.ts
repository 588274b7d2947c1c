import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatAwsSsoCacheEntry, parseAwsSsoCacheEntry, readAwsSsoCacheEntry, type AwsSsoCacheEntry } from '../../main/core/aws-sso-cache-entry';
import { signInFromAwsSsoCache } from '../../main/core/aws-sso-cache-import';
import { isPrintable } from '../../main/core/printable-text';
import type { SsoSessionSettings } from '../../main/core/sso-session-settings';
import { CaseCounter, FUZZ_RUNS, SECRET, anyJson, expectOneSentence, fuzzTimeout, hostileText, mutationsOf, textWithSecret, type JsonRecord } from './fuzz-arbitraries';

const counter = new CaseCounter('fuzz-sso-cache');
afterAll(() => counter.record());

const VALID: JsonRecord = {
  startUrl: 'https://corp.awsapps.com/start',
  region: 'eu-west-1',
  accessToken: 'aoaAAAAAGh0dHBzOi8vY29ycC5hd3NhcHBzLmNvbQ',
  expiresAt: '2026-01-01T08:00:00Z',
  clientId: 'cid-AbC_123',
  clientSecret: 'eyJraWQiOiJrZXktMTU2.eyJzZXJpYWxpemVk',
  registrationExpiresAt: '2026-04-01T00:00:00Z',
  refreshToken: 'aorAAAAAGh0dHBzOi8vY29ycC5h',
};
const REQUIRED = ['startUrl', 'region', 'accessToken', 'expiresAt'];
const TOKENS = ['accessToken', 'clientId', 'clientSecret', 'refreshToken'] as const;
const SESSION = { name: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', registrationScopes: ['sso:account:access'] } as unknown as SsoSessionSettings;
const NOW = Date.UTC(2026, 0, 1, 7, 0, 0);

/** Text that may or may not be JSON: hostile text, binary, any JSON value, and objects with the cache's keys holding random values. */
const cacheText = fc.oneof(
  hostileText(80),
  fc.string({ unit: 'binary', maxLength: 120 }),
  anyJson().map((v) => JSON.stringify(v) ?? ''),
  fc.dictionary(fc.constantFrom(...Object.keys(VALID)), fc.oneof(hostileText(20), fc.jsonValue({ maxDepth: 1 }), fc.constantFrom(...Object.values(VALID)))).map((o) => JSON.stringify({ ...VALID, ...o })),
);

/** A result is a well-typed entry whose tokens can go into a header, or one sentence saying why not; the old API agrees. */
function expectRead(text: string): AwsSsoCacheEntry | undefined {
  const read = readAwsSsoCacheEntry(text);
  const old = parseAwsSsoCacheEntry(text);
  if ('problem' in read) {
    expectOneSentence(read.problem, 'problem');
    expect(old).toBeUndefined();
    return undefined;
  }
  const entry = read.entry;
  expect(old).toEqual(entry);
  expect(typeof entry.startUrl).toBe('string');
  expect(isPrintable(entry.startUrl), 'startUrl printable').toBe(true);
  expect(isPrintable(entry.region), 'region printable').toBe(true);
  for (const field of TOKENS) {
    const value = entry[field];
    if (field === 'accessToken' || value !== undefined) expect(value, field).toMatch(/^[\x21-\x7e]+$/);
  }
  expect(Number.isFinite(entry.expiresAtMs)).toBe(true);
  if (entry.registrationExpiresAtMs !== undefined) expect(Number.isFinite(entry.registrationExpiresAtMs)).toBe(true);
  expect(Object.keys(entry).every((k) => ['startUrl', 'region', 'accessToken', 'expiresAtMs', 'clientId', 'clientSecret', 'registrationExpiresAtMs', 'refreshToken'].includes(k))).toBe(true);
  // Importing it never throws, and what reaches the vault is what was checked.
  const signIn = signInFromAwsSsoCache(entry, SESSION, NOW);
  if (signIn !== undefined) {
    expect(signIn.tokens.accessToken).toBe(entry.accessToken);
    if (signIn.tokens.refreshToken !== undefined) expect(signIn.tokens.refreshToken).toMatch(/^[\x21-\x7e]+$/);
  }
  return entry;
}

describe('the AWS CLI SSO cache reader under random input', () => {
  it('refuses an access token with CR LF in it (it would start a second HTTP header), naming the field and not its value', () => {
    const read = readAwsSsoCacheEntry(JSON.stringify({ ...VALID, accessToken: `${SECRET}\r\nX-Injected: 1` }));
    expect(read).toEqual({ problem: "The AWS CLI SSO cache file's accessToken has a space, a control character or a non-ASCII character, which an HTTP header cannot carry, so Latchkey will not use it." });
    expect(parseAwsSsoCacheEntry(JSON.stringify({ ...VALID, refreshToken: 'rt\n' }))).toBeUndefined();
    expect(parseAwsSsoCacheEntry(JSON.stringify({ ...VALID, clientId: 'c\u0000id' }))).toBeUndefined();
    expect(parseAwsSsoCacheEntry(JSON.stringify(VALID))?.refreshToken).toBe(VALID['refreshToken']);
  });

  it('reads any text, JSON or not, to a typed entry or one sentence, never throwing', () => {
    fc.assert(fc.property(cacheText, counter.count('any text', (text) => void expectRead(text))), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(5));

  it('reads a near-valid entry to a typed one, or refuses it when a needed field broke or a token holds a control character', () => {
    fc.assert(fc.property(mutationsOf(VALID), counter.count('near-valid mutation', (mutation) => {
      const entry = expectRead(JSON.stringify(mutation.value));
      const broke = mutation.broke;
      if (broke === undefined) {
        // An extra field or a huge token keeps it valid; a huge expiresAt is no time at all.
        if (mutation.description !== 'huge expiresAt') expect(entry, mutation.description).toBeDefined();
        return;
      }
      if (REQUIRED.includes(broke) && !mutation.description.startsWith('control character')) expect(entry, mutation.description).toBeUndefined();
      if (mutation.description.startsWith('control character') && (TOKENS as readonly string[]).includes(broke)) expect(entry, mutation.description).toBeUndefined();
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(20));

  it('round-trips every entry it accepts through the writer (to the second)', () => {
    fc.assert(fc.property(mutationsOf(VALID), counter.count('round trip', (mutation) => {
      const entry = expectRead(JSON.stringify(mutation.value));
      if (entry === undefined) return;
      const again = parseAwsSsoCacheEntry(formatAwsSsoCacheEntry(entry));
      expect(again?.accessToken).toBe(entry.accessToken);
      expect(again?.expiresAtMs).toBe(Math.floor(entry.expiresAtMs / 1000) * 1000);
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(20));

  it('never echoes a token in its problem', () => {
    fc.assert(fc.property(fc.constantFrom(...Object.keys(VALID)), textWithSecret(), counter.count('secret not echoed', (field, value) => {
      const read = readAwsSsoCacheEntry(JSON.stringify({ ...VALID, [field]: value }));
      if ('problem' in read) expectOneSentence(read.problem);
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(5));
});
