import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { errorFromAnswer } from '../../main/cli/agent-client';
import { MAX_EVENT_CHARS, SseParser } from '../../main/cli/sse-parser';
import { LatchkeyError } from '../../main/core/errors';
import { CaseCounter, FUZZ_RUNS, anyJson, expectOneSentence, fuzzTimeout, hostileText, hugeText } from './fuzz-arbitraries';

const counter = new CaseCounter('fuzz-agent-answers');
afterAll(() => counter.record());

/** Every event a parser yields for `chunks` fed in order, and the error it threw, if any. */
function parse(chunks: readonly string[]): { events: string[]; error?: unknown } {
  const parser = new SseParser();
  const events: string[] = [];
  try {
    for (const chunk of chunks) events.push(...parser.push(chunk));
    return { events };
  } catch (error) {
    return { events, error };
  }
}

/** `text` cut at the given points, as the socket may deliver it. */
function cut(text: string, points: readonly number[]): string[] {
  const at = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((start, i) => text.slice(start, at[i] ?? text.length)).filter((chunk, i) => chunk !== '' || i === 0);
}

const line = fc.oneof(
  fc.constantFrom('data: {"type":"progress"}', 'data:{"a":1}', 'data: ', 'data:', 'data', ': keep-alive', ':', 'event: message', 'id: 7', 'retry: 10', ''),
  hostileText(20).map((text) => `data: ${text}`),
  hostileText(20),
);

/** A stream of lines with every kind of line ending, split between events at random. */
const stream = fc.tuple(fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 20 }), fc.constantFrom('', '\n', '\r\n')).map(
  ([lines, tail]) => `${lines.map(([text, end]) => `${text}${end}`).join('')}${tail}`,
);

describe('the CLI reading the agent\'s answers under random input', () => {
  it('yields the same events however the stream is cut into chunks, a CR LF split between two included', () => {
    fc.assert(fc.property(fc.oneof(stream, fc.string({ unit: 'binary', maxLength: 200 })), fc.array(fc.nat(), { maxLength: 8 }), counter.count('chunking', (text, points) => {
      const whole = parse([text]);
      expect(parse(cut(text, points)), JSON.stringify(text)).toEqual(whole);
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(2));

  it('takes any chunks, huge ones included, with events or its own malformed_response error, and holds no more than its cap', () => {
    const chunk = fc.oneof(stream, fc.string({ unit: 'binary', maxLength: 100 }), hugeText(10_000, 400_000), hugeText(10_000, 100_000).map((text) => `data: ${text}\n`));
    fc.assert(fc.property(fc.array(chunk, { maxLength: 12 }), counter.count('any chunks', (chunks) => {
      const { error } = parse(chunks);
      if (error === undefined) return;
      expect(error, String(error)).toBeInstanceOf(LatchkeyError);
      expect((error as LatchkeyError).code).toBe('malformed_response');
      expectOneSentence((error as LatchkeyError).message, 'SSE error');
      // Only more than the cap, unended, may be refused.
      expect(chunks.reduce((sum, c) => sum + c.length, 0), 'characters fed before the refusal').toBeGreaterThan(MAX_EVENT_CHARS);
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(20));

  it.each([
    ['a line that never ends', 'x'],
    ['an event that never ends', 'data: x\n'],
  ])('refuses %s once it passes the cap, not at the end of the stream', (_name, unit) => {
    const chunk = unit.repeat(Math.ceil(64 * 1024 / unit.length));
    const parser = new SseParser();
    let fed = 0;
    expect(() => {
      for (;;) {
        fed += chunk.length;
        parser.push(chunk);
      }
    }).toThrow(expect.objectContaining({ code: 'malformed_response' }));
    expect(fed).toBeLessThanOrEqual(MAX_EVENT_CHARS + chunk.length);
  });

  it('reads any error answer, JSON or not, of any status, into a LatchkeyError with a message', () => {
    const body = fc.oneof(
      anyJson().map((value) => JSON.stringify(value) ?? ''),
      fc.record({ error: fc.record({ code: fc.oneof(fc.constantFrom('signed_out', 'not_found', 'internal_error', '__proto__', 'toString'), hostileText(10)), message: fc.oneof(hostileText(40), fc.jsonValue()), signIn: anyJson() }, { requiredKeys: [] }) }).map((value) => JSON.stringify(value)),
      hostileText(40),
      fc.string({ unit: 'binary', maxLength: 60 }),
    );
    fc.assert(fc.property(fc.integer({ min: 0, max: 999 }), body, counter.count('error answer', (status, text) => {
      const error = errorFromAnswer(status, text);
      expect(error).toBeInstanceOf(LatchkeyError);
      expect(error.code).toMatch(/^[a-z_]+$/);
      expect(typeof error.message).toBe('string');
      expect(error.message.length).toBeGreaterThan(0);
    })), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(2));
});
