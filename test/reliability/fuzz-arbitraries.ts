import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import { isPrintable } from '../../main/core/printable-text';
import { recordCounts, suiteSize, timeoutFor } from './suite-size';

/**
 * What the fuzz files share: hostile text, JSON mutations, the "one clear sentence" check,
 * raw HTTP exchanges with a bound on time and size, and the case counter each file records.
 * No seed is fixed: fast-check picks one per run and prints it, with the shrunk path, on
 * failure (`fc.assert` throws with both in its message, which vitest shows whole).
 */

/** Runs per property, and the test timeout for that many cases of `perCaseMs` each. */
export const FUZZ_RUNS = suiteSize.fuzzRuns;
export function fuzzTimeout(perCaseMs: number): number {
  return timeoutFor(FUZZ_RUNS, perCaseMs);
}

/** A marker no product message could contain by chance: if it comes back, the input was echoed. */
export const SECRET = 'SeCrEtFuZz0123456789abcdefTOKEN';

/** Counts the cases each property ran (shrinking included) and records them under one suite name per file. */
export class CaseCounter {
  private readonly counts: Record<string, number> = {};

  constructor(private readonly suite: string) {}

  /** Wraps a predicate so each call counts as one case of `property`. */
  count<A extends unknown[], R>(property: string, predicate: (...args: A) => R): (...args: A) => R {
    this.counts[property] ??= 0;
    return (...args: A): R => {
      this.counts[property] = (this.counts[property] ?? 0) + 1;
      return predicate(...args);
    };
  }

  record(): void {
    const total = Object.values(this.counts).reduce((sum, n) => sum + n, 0);
    recordCounts(this.suite, { runsPerProperty: FUZZ_RUNS, properties: this.counts, totalCases: total });
  }
}

/** Characters that must never reach a terminal or a config line unchecked. */
const HOSTILE_CHARS = [
  '\u0000', '\u0007', '\b', '\t', '\n', '\r', '\u000b', '\u000c', '\u001b', '\u001b[31m', '\u001b]0;x\u0007', '\u007f', '\u0085', '\u009b',
  '\u2028', '\u2029', '\u202e', '\u2066', '\ufeff', '\ud800', '\udfff', '\u{1f600}', 'é', 'e\u0301', '"', "'", '\\', '%', '%00', '%zz',
  '=', ':', '[', ']', '#', ';', ' ', '/', '..', '?', '&', '{', '}',
];

/** Text that mixes ordinary words with control characters, bidi overrides, lone surrogates and odd unicode. */
export function hostileText(maxLength = 60): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE_CHARS), fc.string({ unit: 'binary', maxLength: 4 }), fc.string({ maxLength: 6 })), { maxLength })
    .map((parts) => parts.join(''));
}

const INI_HEADERS = ['[default]', '[DEFAULT]', '[profile dev]', '[profile "a b"]', '[sso-session corp]', '[sso-session corp]', '[profile dev]', '[', ']', '[profile]'];
const INI_KEYS = ['sso_session', 'sso_account_id', 'sso_role_name', 'sso_start_url', 'sso_region', 'latchkey_session', 'latchkey_account_id', 'latchkey_role_name', 'region', 'credential_process', 's3'];

/** One line of an ini-like file: headers (repeated ones too), keys, continuations, comments, garbage, hostile and huge text. */
export const iniLine: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...INI_HEADERS),
  fc.tuple(fc.constantFrom(...INI_KEYS), fc.constantFrom(' = ', '=', ': ', ' '), hostileText(12)).map(([k, d, v]) => `${k}${d}${v}`),
  hostileText(12).map((v) => `  ${v}`),
  fc.constantFrom('# comment', '; comment', ''),
  hostileText(30),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Up to `maxLines` lines of `line`, joined by one of the three line ends, sometimes after a byte-order mark. */
export function iniText(line = iniLine, maxLines = 40): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(line, { maxLength: maxLines }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
    .map(([lines, eol, bom]) => (bom ? '\uFEFF' : '') + lines.join(eol));
}

/** `valid` most of the time, `broken` otherwise: a request breaks a part or two, so a parser gets past the rest. */
export function mostly<T>(valid: fc.Arbitrary<T>, broken: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 1, arbitrary: broken });
}

/** A hostile text with the secret marker somewhere in it. */
export function textWithSecret(): fc.Arbitrary<string> {
  return fc.tuple(hostileText(8), hostileText(8)).map(([a, b]) => `${a}${SECRET}${b}`);
}

/** A long string of one of a few shapes that defeat naive patterns (runs of one character, repeated pairs). */
export function hugeText(minLength = 10_000, maxLength = 200_000): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(' ', '\t', 'a', '=', '[', ' =', '[]', '\u00a0', '\u001c', 'é', '\u{1f600}', ' x'), fc.integer({ min: minLength, max: maxLength }))
    .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));
}

/** Any JSON value, deep and odd (`__proto__` keys, huge numbers, unicode) included. */
export function anyJson(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'toString', 'profile', ''), fc.jsonValue({ maxDepth: 2 })),
  );
}

export type JsonRecord = Record<string, unknown>;

/** A mutation of a valid object and whether what comes out may still be valid. */
export interface Mutation {
  value: unknown;
  description: string;
  /** The path (dotted) of the field the mutation broke; undefined when it kept the object valid. */
  broke?: string;
}

/** Values of a wrong type for a field: never a non-empty string (some fields are strings) or the original. */
function wrongTypeValue(original: unknown): fc.Arbitrary<unknown> {
  const candidates: fc.Arbitrary<unknown>[] = [fc.constant(null), fc.boolean(), fc.constant({}), fc.constant('')];
  // Any list in place of a list is no change of type (an empty accountList is a valid page).
  if (!Array.isArray(original)) candidates.push(fc.constant([]), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
  if (typeof original !== 'number') candidates.push(fc.double(), fc.integer());
  if (typeof original === 'number') candidates.push(fc.string({ maxLength: 10 }), fc.constant(Number.MAX_VALUE), fc.constant(-1), fc.constant(1e20), fc.constant(0.5));
  return fc.oneof(...candidates);
}

function pathsOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([key, v]) => [prefix + key, ...pathsOf(v, `${prefix}${key}.`)]);
}

function withAt(value: unknown, path: string[], change: (old: unknown) => unknown | typeof DELETE): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return change(value);
  const copy: JsonRecord | unknown[] = Array.isArray(value) ? [...(value as unknown[])] : { ...(value as JsonRecord) };
  const next = withAt((copy as JsonRecord)[head], rest, change);
  if (next === DELETE) {
    if (Array.isArray(copy)) copy.splice(Number(head), 1);
    else Reflect.deleteProperty(copy, head);
  } else {
    (copy as JsonRecord)[head] = next;
  }
  return copy;
}

const DELETE = Symbol('delete');

function getAt(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((v, key) => (typeof v === 'object' && v !== null ? (v as JsonRecord)[key] : undefined), value);
}

/**
 * Near-valid mutations of `valid`: a field dropped, a field of another type, a string
 * made huge or given a control character, an extra unknown field (which keeps it valid).
 */
export function mutationsOf(valid: JsonRecord): fc.Arbitrary<Mutation> {
  const paths = pathsOf(valid);
  const stringPaths = paths.filter((p) => typeof getAt(valid, p.split('.')) === 'string');
  const path = fc.constantFrom(...paths);
  const dropped = path.map((p): Mutation => ({ value: withAt(valid, p.split('.'), () => DELETE), description: `drop ${p}`, broke: p }));
  const retyped = path.chain((p) =>
    wrongTypeValue(getAt(valid, p.split('.'))).map((v): Mutation => ({ value: withAt(valid, p.split('.'), () => v), description: `retype ${p} as ${JSON.stringify(v)?.slice(0, 40)}`, broke: p })),
  );
  const extra = fc
    .tuple(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !(k in valid) && k !== '__proto__'), fc.jsonValue({ maxDepth: 1 }))
    .map(([k, v]): Mutation => ({ value: { ...valid, [k]: v }, description: `extra field ${k}` }));
  const arbitraries: fc.Arbitrary<Mutation>[] = [dropped, retyped, extra];
  if (stringPaths.length > 0) {
    const stringPath = fc.constantFrom(...stringPaths);
    arbitraries.push(
      fc.tuple(stringPath, fc.constantFrom('\n', '\r', '\u001b[2J', '\u0000', '\u0007', '\u009b', '\u202e', '\u2028', '\u007f'), fc.nat(3)).map(
        ([p, control, where]): Mutation => ({
          value: withAt(valid, p.split('.'), (old) => {
            const text = String(old);
            const at = Math.min(where, text.length);
            return text.slice(0, at) + control + text.slice(at);
          }),
          description: `control character ${JSON.stringify(control)} in ${p}`,
          broke: p,
        }),
      ),
      fc.tuple(stringPath, fc.integer({ min: 10_000, max: 100_000 })).map(
        ([p, length]): Mutation => ({ value: withAt(valid, p.split('.'), (old) => String(old).repeat(Math.ceil(length / Math.max(1, String(old).length)))), description: `huge ${p}` }),
      ),
    );
  }
  return fc.oneof(...arbitraries);
}

/** Every string anywhere inside a value. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return (Array.isArray(value) ? value : Object.values(value)).flatMap(stringsIn);
}

/**
 * A message a person reads: one line of printable text (so nothing in it can repaint a
 * terminal or start a config line), short, and without the secret marker.
 */
export function expectOneSentence(message: unknown, what = 'message'): void {
  expect(typeof message, what).toBe('string');
  const text = message as string;
  expect(text.length, `${what} length`).toBeGreaterThan(0);
  expect(text.length, `${what} length`).toBeLessThanOrEqual(600);
  expect(isPrintable(text), `${what} is printable: ${JSON.stringify(text)}`).toBe(true);
  expect(text.trim(), `${what} has no surrounding space`).toBe(text);
  expect(text, `${what} does not echo the secret`).not.toContain(SECRET);
}

/** The agent's error body, `{"error":{"code","message"}}`, and nothing a caller could mistake for an answer. */
export function expectErrorBody(json: unknown, context: string): { code: string; message: string } {
  expect(json, `${context}: error body`).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  const error = (json as { error: { code: string; message: string; signIn?: unknown } }).error;
  expect(Object.keys(json as object), `${context}: body keys`).toEqual(['error']);
  expect(error.code, `${context}: code`).toMatch(/^[a-z_]{1,40}$/);
  expect(error.code, `${context}: code`).not.toBe('internal_error');
  expectOneSentence(error.message, `${context}: message`);
  expect(error.message, `${context}: message ends as a sentence`).toMatch(/[.)]$/);
  return error;
}

export interface RawExchange {
  /** Every byte the server sent before it closed, or before the first answer was whole. */
  bytes: Buffer;
  status?: number;
  headers: Record<string, string>;
  body: string;
  elapsedMs: number;
}

/** Bytes an answer may take at most: the agent's answers to one request are a few KiB. */
export const MAX_ANSWER_BYTES = 256 * 1024;

/**
 * Writes `bytes` on a new connection, half-closes it, and reads until the server closes or
 * the first final answer is whole (Content-Length read, or the headers of a stream).
 * Rejects when neither happens in `timeoutMs`: that is a hang. 1xx answers are skipped.
 */
export function rawExchange(open: () => Socket, bytes: Buffer, timeoutMs: number, halfClose = true): Promise<RawExchange> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = open();
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no answer and no close within ${timeoutMs} ms`)), timeoutMs);
    function finish(error?: Error): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error !== undefined) reject(error);
      else resolve({ ...parseAnswer(Buffer.concat(chunks)), bytes: Buffer.concat(chunks), elapsedMs: Date.now() - started });
    }
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total > MAX_ANSWER_BYTES) finish(new Error(`the answer passed ${MAX_ANSWER_BYTES} bytes`));
      else if (answerComplete(Buffer.concat(chunks))) finish();
    });
    socket.on('close', () => finish());
    socket.once('connect', () => {
      socket.write(bytes);
      if (halfClose) socket.end();
    });
  });
}

export function unixSocket(path: string): () => Socket {
  return () => connect({ path });
}

export function tcpSocket(port: number): () => Socket {
  return () => connect({ host: '127.0.0.1', port });
}

function finalAnswerStart(buffer: Buffer): { head: string; bodyStart: number } | undefined {
  let offset = 0;
  for (;;) {
    const end = buffer.indexOf('\r\n\r\n', offset);
    if (end < 0) return undefined;
    const head = buffer.subarray(offset, end).toString('latin1');
    if (/^HTTP\/1\.[01] 1\d\d /.test(head)) {
      offset = end + 4;
      continue;
    }
    return { head, bodyStart: end + 4 };
  }
}

function answerComplete(buffer: Buffer): boolean {
  const start = finalAnswerStart(buffer);
  if (start === undefined) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(start.head)?.[1];
  // A stream (an event stream, chunked) is whole enough once its headers are in.
  if (length === undefined) return !/^HTTP\/1\.1 (204|304) /.test(start.head) ? /\r\ntransfer-encoding: *chunked/i.test(start.head) : true;
  return buffer.length - start.bodyStart >= Number(length);
}

function parseAnswer(buffer: Buffer): Omit<RawExchange, 'bytes' | 'elapsedMs'> {
  const start = finalAnswerStart(buffer);
  if (start === undefined) return { headers: {}, body: '' };
  const [statusLine = '', ...headerLines] = start.head.split('\r\n');
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1];
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = headers['content-length'];
  const bodyBytes = buffer.subarray(start.bodyStart, length === undefined ? undefined : start.bodyStart + Number(length));
  return { ...(status === undefined ? {} : { status: Number(status) }), headers, body: bodyBytes.toString('utf8') };
}

/** Parsed JSON, or undefined. */
export function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The error codes and statuses docs/agent-api.md promises ("Conventions"), read from its
 * table so the docs and the agent cannot drift apart unnoticed. `internal_error` is left
 * out: it is the agent's own failure, which no request may cause.
 */
export function documentedErrors(): ReadonlySet<string> {
  const text = readFileSync(join(process.cwd(), 'docs', 'agent-api.md'), 'utf8');
  const table = text.slice(text.indexOf('| code | status |'));
  const pairs = new Set<string>();
  for (const row of table.slice(0, table.indexOf('\n\n')).split('\n')) {
    const status = /\| (\d{3}) \|$/.exec(row)?.[1];
    if (status === undefined || status === '500') continue;
    for (const [, code] of row.matchAll(/`([a-z_]+)`/g)) pairs.add(`${code} ${status}`);
  }
  return pairs;
}

/**
 * An error answer as the agent's socket and exec port give it: a documented code at its
 * documented status. The answer to a HEAD request (`request` starts with it) has no body,
 * and what follows its headers belongs to the next request: its status is all there is.
 */
export function expectDocumentedError(documented: ReadonlySet<string>, request: Buffer, answer: RawExchange, context: string): void {
  if (request.toString('latin1').startsWith('HEAD ')) {
    const statuses = [...documented].map((pair) => Number(pair.split(' ')[1]));
    expect(statuses, `${context}: status`).toContain(answer.status);
    return;
  }
  const json = jsonOf(answer.body);
  const { code } = expectErrorBody(json, context);
  expect(documented.has(`${code} ${String(answer.status)}`), `${context}: ${code} at ${String(answer.status)} is in docs/agent-api.md`).toBe(true);
  expect(answer.headers['content-type'], `${context}: content type`).toBe('application/json; charset=utf-8');
}
