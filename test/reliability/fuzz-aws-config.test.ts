import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAwsConfig } from '../../main/core/aws-config';
import { isPrintable } from '../../main/core/printable-text';
import { CaseCounter, FUZZ_RUNS, fuzzTimeout, hugeText, iniText } from './fuzz-arbitraries';

const counter = new CaseCounter('fuzz-aws-config');
afterAll(() => counter.record());

function expectParsed(text: string): void {
  const config = parseAwsConfig(text, '/home/u/.aws/config');
  for (const problem of config.problems) expect(problem.message).not.toMatch(/[\r\n]/);
  for (const profile of config.profiles.values()) expect(profile.accountId).toMatch(/^\d{12}$/);
  // Bounded: no more problems than lines could cause.
  expect(config.problems.length).toBeLessThanOrEqual(4 * (text.split(/\r\n|\r|\n/).length + 1));
}

describe('the AWS config reader under random input', () => {
  it('reads a line of 40,000 spaces between two words in milliseconds, not seconds (a backtracking pattern took 20 s)', () => {
    const started = Date.now();
    const config = parseAwsConfig(`[profile dev]\nx${' '.repeat(40_000)}y\n`, '/c');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(config.profiles.size).toBe(0);
  });

  it('keeps a problem on one printable line when the value it quotes spans a continuation line or holds a control character', () => {
    // Found by the property below at 5,000 runs: "sso_session = !" continued by "  \u0000".
    const config = parseAwsConfig('[default]\nsso_session = !\n  \u0000\nsso_role_name = \u001b[2J\n', '/home/u/.aws/config');
    expect(config.problems.length).toBeGreaterThan(0);
    for (const problem of config.problems) expect(isPrintable(problem.message)).toBe(true);
  });

  it('reads any ini-like text to a model with one-line problems and well-formed profiles, never throwing', () => {
    fc.assert(fc.property(iniText(), counter.count('ini-like text', expectParsed)), { numRuns: FUZZ_RUNS });
  }, fuzzTimeout(20));

  it('reads a file with a huge line of any shape within a second', () => {
    fc.assert(fc.property(fc.tuple(hugeText(10_000, 100_000), fc.constantFrom('[profile dev]\n', '[profile dev]\nk =\n', '')), counter.count('huge line', ([huge, before]) => {
      const started = Date.now();
      expectParsed(`${before}x${huge}y\n`);
      expect(Date.now() - started).toBeLessThan(1000);
    })), { numRuns: Math.min(FUZZ_RUNS, 100) });
  }, fuzzTimeout(200));
});
