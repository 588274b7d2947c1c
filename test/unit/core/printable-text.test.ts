import { describe, expect, it } from 'vitest';
import { isPrintable, printable, printableLines } from '../../../main/core/printable-text';

const R = '\uFFFD';

describe('printable', () => {
  it.each([
    ['ansi_clear_screen', 'Dev\x1b[2J\x1b[H', `Dev${R}[2J${R}[H`],
    ['carriage_return_overwrite', 'ok\rEVIL', `ok${R}EVIL`],
    ['line_feed', 'a\nb', `a${R}b`],
    ['bell_and_backspace', 'a\x07\x08b', `a${R}${R}b`],
    ['nul', 'a\0b', `a${R}b`],
    ['delete', 'a\x7fb', `a${R}b`],
    ['c1_csi', 'a\u009b2Jb', `a${R}2Jb`],
    ['bidi_override', 'abc\u202Etxt.exe', `abc${R}txt.exe`],
    ['bidi_embedding_and_pop', '\u202A\u202B\u202C\u202D', R.repeat(4)],
    ['bidi_isolates', '\u2066\u2067\u2068\u2069', R.repeat(4)],
    ['line_and_paragraph_separators', 'a\u2028b\u2029c', `a${R}b${R}c`],
    ['tab', 'a\tb', `a${R}b`],
  ])('replaces %s', (_name, input, expected) => {
    expect(printable(input)).toBe(expected);
  });

  it.each([
    ['plain_ascii', 'Development (eu-west-1) +=,.@_-'],
    ['accents_and_cjk', 'Entwicklung Müller 開発'],
    ['emoji', 'prod 🚀'],
    ['right_to_left_script_without_overrides', 'حساب'],
  ])('keeps %s', (_name, input) => {
    expect(printable(input)).toBe(input);
  });

  it('cuts text longer than maxChars to maxChars, ending in an ellipsis, without splitting a character', () => {
    expect(printable('abcdef', 4)).toBe('abc…');
    expect(printable('🚀🚀🚀', 2)).toBe('🚀…');
    expect(printable('abcd', 4)).toBe('abcd');
  });
});

describe('printableLines', () => {
  it('keeps line feeds and cleans each line', () => {
    expect(printableLines('one\x1b[31m\ntwo\r\n')).toBe(`one${R}[31m\ntwo${R}\n`);
  });
});

describe('isPrintable', () => {
  it.each([
    ['R\n[profile evil]\ncredential_process = touch /tmp/pwned', false],
    ['a\rb', false],
    ['\u202E', false],
    ['\u0085', false],
    ['Developer', true],
    ['My Team (dev) 開発', true],
  ])('%j → %s', (input, expected) => {
    expect(isPrintable(input)).toBe(expected);
  });
});
