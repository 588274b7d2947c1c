import { describe, expect, it } from 'vitest';
import { commandDialectFor, commandWordProblem, credentialProcessCommand } from '../../../main/core/credential-process-command';
import { isLatchkeyError } from '../../../main/core/errors';

// What each form must survive is in credential-process-command.ts; that botocore, the AWS
// CLI v2 and the JS SDK really read them so is test/integration/cli/credential-process-quoting.test.ts.

describe('credentialProcessCommand on POSIX', () => {
  it.each([
    ['plain_words_stay_bare', ['/usr/bin/node', '/opt/latchkey/cli.cjs', 'credential-process', '--profile', 'Dev-R'], "/usr/bin/node /opt/latchkey/cli.cjs credential-process --profile Dev-R"],
    ['space', ['/opt/My Apps/latchkey'], "'/opt/My Apps/latchkey'"],
    ['single_quote_closed_escaped_reopened', ["/home/o'brien/latchkey"], "'/home/o'\\''brien/latchkey'"],
    ['dollar_kept_literal', ['/opt/$HOME/latchkey'], "'/opt/$HOME/latchkey'"],
    ['backticks_kept_literal', ['/opt/`id`/latchkey'], "'/opt/`id`/latchkey'"],
    ['backslash_kept_literal', ['/opt/back\\slash/latchkey'], "'/opt/back\\slash/latchkey'"],
    ['double_quote_kept_literal', ['/opt/"q"/latchkey'], "'/opt/\"q\"/latchkey'"],
    ['non_ascii', ['/home/józef/ラッチ/latchkey'], "'/home/józef/ラッチ/latchkey'"],
    ['hash_after_space_in_a_new_quoted_run', ['/opt/a #b/latchkey'], "'/opt/a ''#b/latchkey'"],
    ['semicolon_after_space_in_a_new_quoted_run', ['/opt/a ;b/latchkey'], "'/opt/a '';b/latchkey'"],
    ['hash_after_no_break_space', ['/opt/a\u00a0#b'], "'/opt/a\u00a0''#b'"],
    ['hash_inside_a_word', ['/opt/a#b'], "'/opt/a#b'"],
    ['assignment_lookalike', ['A=b'], "'A=b'"],
    ['tilde', ['~/latchkey'], "'~/latchkey'"],
    ['glob', ['/opt/*/latchkey'], "'/opt/*/latchkey'"],
    ['empty_word', [''], "''"],
    ['role_with_iam_symbols', ['Admin+Ops,eu@x.y_z-1'], 'Admin+Ops,eu@x.y_z-1'],
  ])('%s', (_name, argv, expected) => {
    expect(credentialProcessCommand(argv, 'posix')).toBe(expected);
  });
});

describe('credentialProcessCommand on Windows', () => {
  it.each([
    ['plain_path_stays_bare', ['C:\\Users\\ana\\AppData\\Local\\Programs\\latchkey\\resources\\bin\\latchkey.exe', '--profile', 'Dev-R'], 'C:\\Users\\ana\\AppData\\Local\\Programs\\latchkey\\resources\\bin\\latchkey.exe --profile Dev-R'],
    ['space', ['C:\\Users\\Ana Lopez\\latchkey.cmd'], '"C:\\Users\\Ana Lopez\\latchkey.cmd"'],
    ['quote_dollar_backtick_ampersand_literal_inside', ["C:\\O'Brien $x `y` & (z)\\latchkey.cmd"], "\"C:\\O'Brien $x `y` & (z)\\latchkey.cmd\""],
    ['trailing_backslashes_doubled', ['C:\\a b\\'], '"C:\\a b\\\\"'],
    ['hash_after_space_outside_the_quotes', ['C:\\a #b\\latchkey.cmd'], '"C:\\a "#"b\\latchkey.cmd"'],
    ['forward_slash_quoted', ['C:/tools/latchkey.cmd'], '"C:/tools/latchkey.cmd"'],
    ['at_sign_quoted', ['@latchkey'], '"@latchkey"'],
    ['non_ascii', ['C:\\Users\\józef\\latchkey.cmd'], '"C:\\Users\\józef\\latchkey.cmd"'],
  ])('%s', (_name, argv, expected) => {
    expect(credentialProcessCommand(argv, 'windows')).toBe(expected);
  });
});

describe('words no form exists for', () => {
  it.each<[string, string, 'posix' | 'windows', string]>([
    ['nul', '/opt/a\0b', 'posix', 'a line break or another control character'],
    ['line_feed', '/opt/a\nb', 'posix', 'a line break or another control character'],
    ['carriage_return', '/opt/a\rb', 'posix', 'a line break or another control character'],
    ['tab', '/opt/a\tb', 'posix', 'a line break or another control character'],
    ['escape', '/opt/a\x1b[2Jb', 'posix', 'a line break or another control character'],
    ['line_separator', '/opt/a\u2028b', 'posix', 'a line break or another control character'],
    ['next_line_c1', '/opt/a\u0085b', 'windows', 'a line break or another control character'],
    ['windows_double_quote', 'C:\\a"b', 'windows', 'a double quote'],
    ['windows_percent', 'C:\\%USERNAME%\\latchkey.cmd', 'windows', 'a percent sign'],
    ['windows_semicolon_after_space', 'C:\\a ;b\\latchkey.cmd', 'windows', 'a semicolon after a space'],
  ])('refuses %s, in one sentence that does not repeat the word', (_name, word, dialect, problem) => {
    expect(commandWordProblem(word, dialect)).toContain(problem);
    let caught: unknown;
    try {
      credentialProcessCommand(['/usr/bin/node', word], dialect);
    } catch (error) {
      caught = error;
    }
    expect(isLatchkeyError(caught, 'config_error')).toBe(true);
    const message = (caught as Error).message;
    expect(message).toContain(problem);
    expect(message).not.toContain(word);
    for (const control of ['\0', '\r', '\n', '\x1b']) expect(message).not.toContain(control);
  });

  it('takes on POSIX what only Windows refuses', () => {
    expect(commandWordProblem('/opt/100%/a"b ;c', 'posix')).toBeUndefined();
  });
});

describe('commandDialectFor', () => {
  it.each([
    ['win32', 'windows'],
    ['linux', 'posix'],
    ['darwin', 'posix'],
    ['freebsd', 'posix'],
  ])('%s is %s', (platform, dialect) => {
    expect(commandDialectFor(platform)).toBe(dialect);
  });
});
