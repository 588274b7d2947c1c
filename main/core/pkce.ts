/**
 * PKCE (RFC 7636) values for the authorization-code sign-in, made the way the AWS CLI
 * makes them (docs/contract.md section 7): a 64-character verifier, its S256 challenge, and a
 * random `state` that ties the browser's redirect to this sign-in.
 *
 * Core has no node:crypto. WebCrypto (`globalThis.crypto`) is a global in Node 20, in
 * Electron and in browsers, so the default source needs no import; tests may pass their
 * own source to make the bytes deterministic.
 */

export interface PkceRandomSource {
  /** `length` bytes from a cryptographically secure generator. */
  randomBytes(length: number): Uint8Array;
  sha256(data: Uint8Array): Promise<Uint8Array> | Uint8Array;
}

export interface PkceValues {
  codeVerifier: string;
  /** base64url(SHA-256(codeVerifier)), no padding. */
  codeChallenge: string;
  state: string;
}

/** RFC 7636 section 4.1 `unreserved`: the characters a verifier may use. 66 of them. */
export const CODE_VERIFIER_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** The AWS CLI's length; RFC 7636 allows 43 to 128. */
export const CODE_VERIFIER_LENGTH = 64;

/** 32 bytes (256 bits) of state, as for the verifier's entropy: unguessable by a page that races the redirect. */
const STATE_BYTES = 32;

/**
 * Bytes at or above this are discarded rather than reduced modulo 66: 256 is not a
 * multiple of 66, so `byte % 66` on every byte would make the first 58 characters
 * more likely than the rest. 198 = 3 × 66 is the largest multiple that fits in a byte.
 */
const UNBIASED_BYTE_LIMIT = 256 - (256 % CODE_VERIFIER_ALPHABET.length);

export const webCryptoRandomSource: PkceRandomSource = {
  randomBytes(length: number): Uint8Array {
    return globalThis.crypto.getRandomValues(new Uint8Array(length));
  },
  async sha256(data: Uint8Array): Promise<Uint8Array> {
    // Copy into a plain ArrayBuffer-backed array: digest() rejects shared buffers.
    return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(data)));
  },
};

/** A fresh verifier, challenge and state for one sign-in. */
export async function createPkce(source: PkceRandomSource = webCryptoRandomSource): Promise<PkceValues> {
  const codeVerifier = createCodeVerifier(source);
  return {
    codeVerifier,
    codeChallenge: await codeChallengeS256(codeVerifier, source),
    state: createState(source),
  };
}

/** 64 characters from the unreserved alphabet, each equally likely (rejection sampling). */
export function createCodeVerifier(source: PkceRandomSource = webCryptoRandomSource): string {
  const alphabet = CODE_VERIFIER_ALPHABET;
  let verifier = '';
  while (verifier.length < CODE_VERIFIER_LENGTH) {
    // About 23% of bytes are rejected; asking for a little extra usually needs one round.
    for (const byte of source.randomBytes(CODE_VERIFIER_LENGTH + 16)) {
      if (byte >= UNBIASED_BYTE_LIMIT) continue;
      verifier += alphabet.charAt(byte % alphabet.length);
      if (verifier.length === CODE_VERIFIER_LENGTH) break;
    }
  }
  return verifier;
}

/** RFC 7636 section 4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))). */
export async function codeChallengeS256(
  codeVerifier: string,
  source: PkceRandomSource = webCryptoRandomSource,
): Promise<string> {
  return base64UrlEncode(await source.sha256(new TextEncoder().encode(codeVerifier)));
}

/** 43 base64url characters of fresh randomness. */
export function createState(source: PkceRandomSource = webCryptoRandomSource): string {
  return base64UrlEncode(source.randomBytes(STATE_BYTES));
}

/**
 * Compares two strings without stopping at the first difference, so the time taken
 * does not tell a caller how much of a guessed `state` was right. The loop always runs
 * over the longer string and mixes the length difference in; only the lengths (which
 * are not secret: state is always 43 characters) affect the time. Pure JS offers no
 * hard guarantee against a clever JIT, but there is no data-dependent branch to find.
 * (`charCodeAt` past the end is NaN, which bitwise operators treat as 0.)
 */
export function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  }
  return difference === 0;
}

/** RFC 4648 section 5, without `=` padding (RFC 7636 appendix A). */
export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
