import { LatchkeyError } from './errors';
import { isPrintable } from './printable-text';

/**
 * A `credential_process` value is one line of text, and each AWS client turns it back
 * into a command its own way:
 * - botocore (boto3, the AWS CLI v1, and the AWS CLI v2, which ships its own copy) splits
 *   it with `compat_shell_split` and runs the words with Popen, no shell: on POSIX that is
 *   `shlex.split`, where a backslash inside double quotes escapes only `"` and `\`; on
 *   Windows it is botocore's own split by the C runtime's rules (double quotes only,
 *   backslashes literal unless they lead up to a double quote).
 * - The JS SDK (`@aws-sdk/credential-provider-process`) hands the line to
 *   `child_process.exec`: `/bin/sh -c` on POSIX, `cmd.exe /d /s /c` on Windows. Before
 *   that, its config reader ends a line at a `#` or `;` that follows whitespace, quoted or
 *   not; botocore keeps them.
 * So a word is written in the one form that every reader of its platform takes alike,
 * and a word no such form exists for is refused rather than written for some of them.
 */
export type CommandDialect = 'posix' | 'windows';

export function commandDialectFor(platform: string): CommandDialect {
  return platform === 'win32' ? 'windows' : 'posix';
}

/**
 * Words left bare. POSIX: nothing sh or shlex treats specially (no `=`, which makes a
 * first word an assignment to sh; no `~`, `#`, globs or braces). Windows: nothing cmd.exe
 * treats specially in a command's name either (no `/`, `,`, `=`, `;` or a leading `@`).
 */
const BARE_WORD: Record<CommandDialect, RegExp> = {
  posix: /^[A-Za-z0-9_./:@%+,-]+$/,
  windows: /^[A-Za-z0-9_.:\\+-]+$/,
};

/** The JS SDK's comment rule (smithy `parseIni`): `\s` as JavaScript reads it, then `#` or `;`. */
const COMMENT_AFTER_SPACE = /(\s)(?=[#;])/g;

/**
 * Why `word` cannot go into a credential_process line for `dialect`, as the end of a
 * sentence ("… has a line break or another control character"), or undefined when it can.
 * The reason never repeats the word, which may be built to mislead.
 */
export function commandWordProblem(word: string, dialect: CommandDialect): string | undefined {
  // A line break would end the value and start a line of its own (a new section with a
  // credential_process of its choosing); no reader keeps a NUL or other control character.
  if (!isPrintable(word)) return 'a line break or another control character';
  if (dialect === 'windows') {
    if (word.includes('"')) return 'a double quote, which cmd.exe and the AWS CLI on Windows would take as the end of a quoted word';
    if (word.includes('%')) return 'a percent sign, which cmd.exe expands as a variable even inside quotes';
    if (/\s;/.test(word)) return 'a semicolon after a space, which the JS SDK would read as the start of a comment';
  }
  return undefined;
}

/**
 * `argv` as the value of a credential_process line that botocore, the AWS CLI v2 and the
 * JS SDK all run as exactly `argv`. Throws `config_error` for a word no form exists for.
 */
export function credentialProcessCommand(argv: readonly string[], dialect: CommandDialect): string {
  return argv.map((word) => commandWord(word, dialect)).join(' ');
}

function commandWord(word: string, dialect: CommandDialect): string {
  const problem = commandWordProblem(word, dialect);
  if (problem !== undefined) {
    throw new LatchkeyError('config_error', `Latchkey cannot write this command into a credential_process line: a word of it has ${problem}.`);
  }
  if (BARE_WORD[dialect].test(word)) return word;
  return dialect === 'posix' ? posixQuoted(word) : windowsQuoted(word);
}

/**
 * Single quotes keep every character literal for sh and shlex alike (`$`, backticks,
 * backslashes, double quotes); a single quote itself is closed, escaped and reopened
 * (`'\''`), which both read as one `'`. A `#` or `;` after whitespace starts a new
 * quoted run (`'a ''#b'`), so the JS SDK never sees whitespace before it.
 */
function posixQuoted(word: string): string {
  return `'${word.replace(/'/g, `'\\''`).replace(COMMENT_AFTER_SPACE, `$1''`)}'`;
}

/**
 * Double quotes, for the C runtime's rules (which botocore's split follows) and cmd.exe:
 * inside them cmd.exe takes `&|<>^()` literally. Backslashes before the closing quote are
 * doubled, or they would escape it. A `#` after whitespace is left outside the quotes
 * (`"a "#"b"`), as the JS SDK's comment rule needs; neither the C runtime nor cmd.exe
 * treats a bare `#` specially.
 */
function windowsQuoted(word: string): string {
  const body = word.replace(/(\s)#/g, '$1"#"').replace(/(\\+)$/, '$1$1');
  return `"${body}"`;
}
