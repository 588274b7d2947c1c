import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CODE_VERIFIER_ALPHABET,
  CODE_VERIFIER_LENGTH,
  base64UrlEncode,
  codeChallengeS256,
  constantTimeEqual,
  createCodeVerifier,
  createPkce,
  createState,
  type PkceRandomSource,
} from '../../../main/core/pkce';

/** Hands out the given bytes in order, so a test can see exactly which ones were used. */
function scriptedSource(bytes: number[]): PkceRandomSource {
  let next = 0;
  return {
    randomBytes(length: number): Uint8Array {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i += 1) out[i] = bytes[next++ % bytes.length] ?? 0;
      return out;
    },
    sha256(data: Uint8Array): Uint8Array {
      return new Uint8Array(createHash('sha256').update(data).digest());
    },
  };
}

describe('PKCE code verifier', () => {
  it('is 64 characters from the RFC 7636 unreserved alphabet, over many samples', () => {
    const allowed = /^[A-Za-z0-9\-._~]+$/;
    for (let i = 0; i < 2000; i += 1) {
      const verifier = createCodeVerifier();
      expect(verifier).toHaveLength(CODE_VERIFIER_LENGTH);
      expect(verifier).toMatch(allowed);
    }
  });

  it('uses every character of the 66-character alphabet, roughly evenly', () => {
    const counts = new Map<string, number>();
    const samples = 2000;
    for (let i = 0; i < samples; i += 1) {
      for (const c of createCodeVerifier()) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(CODE_VERIFIER_ALPHABET).toHaveLength(66);
    expect(counts.size).toBe(66);
    const expected = (samples * CODE_VERIFIER_LENGTH) / 66;
    for (const count of counts.values()) {
      // ~1940 expected per character; a plain byte % 66 would leave the last 8 about 22% short.
      expect(count).toBeGreaterThan(expected * 0.85);
      expect(count).toBeLessThan(expected * 1.15);
    }
  });

  it.each([
    ['bytes_from_198_up_are_discarded_not_wrapped', [198, 255, 0], 'A'],
    ['byte_197_is_the_last_accepted_and_maps_to_tilde', [197], '~'],
    ['byte_66_wraps_to_the_first_character', [66], 'A'],
  ])('%s', (_name, bytes, expectedChar) => {
    const verifier = createCodeVerifier(scriptedSource(bytes));
    expect(verifier).toBe(expectedChar.repeat(CODE_VERIFIER_LENGTH));
  });

  it('two verifiers differ', () => {
    expect(createCodeVerifier()).not.toBe(createCodeVerifier());
  });
});

describe('PKCE S256 challenge', () => {
  it('matches the RFC 7636 appendix B test vector', async () => {
    await expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('is unpadded base64url of SHA-256 of the verifier', async () => {
    const pkce = await createPkce();
    const expected = createHash('sha256').update(pkce.codeVerifier).digest('base64url');
    expect(pkce.codeChallenge).toBe(expected);
    expect(pkce.codeChallenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gives the same challenge through an injected SHA-256 as through WebCrypto', async () => {
    const verifier = createCodeVerifier();
    await expect(codeChallengeS256(verifier, scriptedSource([1]))).resolves.toBe(await codeChallengeS256(verifier));
  });
});

describe('PKCE state', () => {
  it('is 43 base64url characters and fresh each time', () => {
    const states = new Set(Array.from({ length: 200 }, () => createState()));
    expect(states.size).toBe(200);
    for (const state of states) expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('base64url-encodes without padding or + and /', () => {
    expect(base64UrlEncode(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });
});

describe('constantTimeEqual', () => {
  it.each([
    ['equal_strings_are_equal', 'abc', 'abc', true],
    ['empty_strings_are_equal', '', '', true],
    ['one_different_character_is_unequal', 'abc', 'abd', false],
    ['first_character_different_is_unequal', 'xbc', 'abc', false],
    ['prefix_is_unequal', 'abc', 'abcd', false],
    ['longer_is_unequal', 'abcd', 'abc', false],
    ['empty_against_nonempty_is_unequal', '', 'a', false],
    ['nul_padding_does_not_fake_equality', 'a', 'a\u0000', false],
    ['case_matters', 'State', 'state', false],
    ['non_ascii_compares_by_code_unit', 'é', 'é', true],
  ])('%s', (_name, a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
    expect(constantTimeEqual(b, a)).toBe(expected);
  });
});
