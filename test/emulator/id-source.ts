import { createHmac, randomBytes } from 'node:crypto';

/** Letters only, without vowels and look-alikes, as AWS user codes read (no 0/O, 1/I). */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

/**
 * Where codes, tokens and ids come from. With a seed every value is reproducible:
 * each purpose draws from its own HMAC counter stream, so an extra poll or request
 * id does not shift the tokens a test expects.
 */
export class IdSource {
  private readonly seed: string | undefined;
  private readonly counters = new Map<string, number>();

  constructor(seed?: string) {
    this.seed = seed;
  }

  bytes(purpose: string, length: number): Buffer {
    if (this.seed === undefined) return randomBytes(length);
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < length) {
      const counter = this.counters.get(purpose) ?? 0;
      this.counters.set(purpose, counter + 1);
      const chunk = createHmac('sha256', this.seed).update(`${purpose}:${counter}`).digest();
      chunks.push(chunk);
      total += chunk.length;
    }
    return Buffer.concat(chunks).subarray(0, length);
  }

  token(purpose: string, length: number): string {
    return this.bytes(purpose, length).toString('base64url');
  }

  userCode(): string {
    const bytes = this.bytes('user-code', 8);
    const letters = [...bytes].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]);
    return `${letters.slice(0, 4).join('')}-${letters.slice(4).join('')}`;
  }

  uuid(purpose: string): string {
    const hex = this.bytes(purpose, 16);
    hex[6] = ((hex[6] ?? 0) & 0x0f) | 0x40;
    hex[8] = ((hex[8] ?? 0) & 0x3f) | 0x80;
    const s = hex.toString('hex');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}
