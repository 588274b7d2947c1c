/**
 * The AWS config file line by line as botocore, and so the AWS CLI, reads it: Python's
 * `configparser.RawConfigParser` with its defaults (Python 3.11), then botocore's
 * `build_profile_map`. Latchkey reads the file this way (aws-config-sections.ts) and
 * compares it with the JS SDK's reading (aws-config-dialect.ts), so each rule below is
 * configparser's, checked against botocore 1.29 by test/unit/core/aws-config-dialect-parsers.test.ts:
 * - lines end at `\n`, `\r\n` or a lone `\r` (Python's universal newlines);
 * - a comment is a whole line starting with `#` or `;` after indentation; there are no
 *   inline comments, so `region = us-east-1 # prod` keeps `# prod` in the value;
 * - a line indented deeper than the key before it continues that key's value (blank
 *   lines in between included), even when it looks like a key or a section header;
 * - a key ends at the first `=` or `:`, and keys are lower-cased;
 * - a header is everything between the first `[` and the last `]` of the stripped line.
 */
export type IniLine =
  | { kind: 'blank' | 'comment'; line: number; text: string }
  | { kind: 'header'; line: number; text: string; header: string }
  | { kind: 'option'; line: number; text: string; rawKey: string; key: string; delimiter: '=' | ':'; value: string; indent: number }
  /** More of the value of `key`, the option above it; `value` is the stripped line. */
  | { kind: 'continuation'; line: number; text: string; key: string; value: string }
  /** A line botocore cannot read, so it refuses the whole file: a key before any section, or no key and delimiter. */
  | { kind: 'unreadable'; line: number; text: string; reason: 'before-section' | 'no-delimiter' };

/** What a section header names, by botocore's rules; `defaults` is configparser's `[DEFAULT]`, whose keys every section inherits. */
export type SectionIdentity = { kind: 'profile' | 'sso-session'; name: string } | { kind: 'defaults' } | { kind: 'other' };

/**
 * What Python takes for whitespace, in `str.strip()` and in a `str` pattern's `\s` alike
 * (Python 3.11: the characters for which `str.isspace()` is true). JavaScript's `trim` and
 * `\s` differ: they leave U+001C..U+001F and U+0085, and take U+FEFF, which Python keeps.
 */
const PY_SPACE = '[\\t\\n\\v\\f\\r \\u001c-\\u001f\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
/** One character of PY_SPACE (each is a single UTF-16 code unit). */
const PY_SPACE_CHAR = new RegExp(`^${PY_SPACE}$`);
const PY_NON_SPACE = new RegExp(`[^${PY_SPACE.slice(1, -1)}]`);
/** configparser's SECTCRE, matched at the start of the stripped line. */
const SECTION = /^\[(.+)\]/s;

/** Lines as Python's universal newlines split them, numbered from 1. */
export function splitIniLines(text: string): string[] {
  return splitIniLinesWithEnds(text).map(({ line }) => line);
}

/** The same lines, each with the line break after it (`''` for a last line without one), so that they join back to `text`. */
export function splitIniLinesWithEnds(text: string): { line: string; end: string }[] {
  const parts = text.split(/(\r\n|\r|\n)/);
  const lines: { line: string; end: string }[] = [];
  for (let index = 0; index < parts.length; index += 2) lines.push({ line: parts[index] ?? '', end: parts[index + 1] ?? '' });
  if (lines[lines.length - 1]?.line === '') lines.pop();
  return lines;
}

/**
 * By scanning in from each end, not with a `\s+$` pattern: such a pattern is retried from
 * every space of a run inside the line, so one long run of spaces took seconds (a line of
 * 40,000 took 20 s in the agent, which reads the file on every request).
 */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PY_SPACE_CHAR.test(text.charAt(start))) start += 1;
  while (end > start && PY_SPACE_CHAR.test(text.charAt(end - 1))) end -= 1;
  return text.slice(start, end);
}

/**
 * configparser's OPTCRE, `(?P<option>.*?)\s*(?P<vi>[=:])\s*(?P<value>.*)$` with Python's
 * `\s`: the key is what stands before the first `=` or `:` and the value what follows it,
 * each stripped by the caller. Found with a search rather than that pattern, whose lazy
 * key and `\s*` backtrack quadratically over a long run of spaces with no delimiter after it.
 */
function splitOption(value: string): { key: string; delimiter: '=' | ':'; rest: string } | undefined {
  const at = value.search(/[=:]/);
  if (at < 0) return undefined;
  return { key: value.slice(0, at), delimiter: value.charAt(at) === ':' ? ':' : '=', rest: value.slice(at + 1) };
}

export function readIniLines(text: string): IniLine[] {
  const out: IniLine[] = [];
  let inSection = false;
  let optionKey: string | undefined;
  let indentLevel = 0;
  splitIniLines(text).forEach((raw, index) => {
    const line = index + 1;
    const value = pyStrip(raw);
    if (value === '') {
      out.push({ kind: 'blank', line, text: raw });
      return;
    }
    if (value.startsWith('#') || value.startsWith(';')) {
      out.push({ kind: 'comment', line, text: raw });
      return;
    }
    const indent = PY_NON_SPACE.exec(raw)?.index ?? 0;
    if (inSection && optionKey !== undefined && indent > indentLevel) {
      out.push({ kind: 'continuation', line, text: raw, key: optionKey, value });
      return;
    }
    indentLevel = indent;
    const header = SECTION.exec(value);
    if (header !== null) {
      inSection = true;
      optionKey = undefined;
      out.push({ kind: 'header', line, text: raw, header: header[1] ?? '' });
      return;
    }
    const option = inSection ? splitOption(value) : undefined;
    // configparser rstrips the key with str.rstrip; it already stands stripped at the line's start.
    const rawKey = option === undefined ? '' : pyStrip(option.key);
    if (option === undefined || rawKey === '') {
      optionKey = undefined;
      out.push({ kind: 'unreadable', line, text: raw, reason: inSection ? 'no-delimiter' : 'before-section' });
      return;
    }
    optionKey = rawKey.toLowerCase();
    out.push({ kind: 'option', line, text: raw, rawKey, key: optionKey, delimiter: option.delimiter, value: pyStrip(option.rest), indent });
  });
  return out;
}

/** botocore's `build_profile_map`: `[default]`, and `profile`/`sso-session` followed by exactly one shell word. */
export function botocoreSectionIdentity(header: string): SectionIdentity {
  if (header === 'DEFAULT') return { kind: 'defaults' };
  if (header === 'default') return { kind: 'profile', name: 'default' };
  const kind = header.startsWith('profile') ? 'profile' : header.startsWith('sso-session') ? 'sso-session' : undefined;
  if (kind === undefined) return { kind: 'other' };
  const words = shellWords(header);
  return words !== undefined && words.length === 2 && words[1] !== undefined ? { kind, name: words[1] } : { kind: 'other' };
}

/**
 * Python's `shlex.split` (POSIX mode, no comments): words split at whitespace, `'…'`
 * literal, `"…"` with `\` escaping only `\`, `"`, `$` and `` ` ``, a bare `\` escaping
 * the next character. Undefined for an unclosed quote or a trailing `\` (shlex raises,
 * and botocore then skips the section).
 */
function shellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (word !== undefined) words.push(word);
      word = undefined;
      i += 1;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? '') + text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let quoted = '';
      for (; j < text.length && text.charAt(j) !== '"'; j += 1) {
        if (text.charAt(j) === '\\' && j + 1 < text.length && '\\"$`'.includes(text.charAt(j + 1))) j += 1;
        quoted += text.charAt(j);
      }
      if (j >= text.length) return undefined;
      word = (word ?? '') + quoted;
      i = j + 1;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return undefined;
      word = (word ?? '') + text.charAt(i + 1);
      i += 2;
    } else {
      word = (word ?? '') + c;
      i += 1;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
