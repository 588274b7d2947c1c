import type { SectionIdentity } from './aws-config-ini-lines';

/**
 * The AWS config and credentials files line by line as the JS SDK reads them: smithy's
 * `parseIni` and, for the config file, `getConfigData` (@smithy/core/config,
 * shared-ini-file-loader). The dialect scan (aws-config-dialect.ts) compares this
 * reading with botocore's, and exec's filter (strip-profile-credentials.ts) removes what
 * either reads as a credential, so both take it from here; both are checked against the
 * real parser by their tests.
 */
export interface JsLine {
  /** The line without what smithy takes for a comment, trimmed. */
  trimmed: string;
  /** Whether smithy cut a comment off the line. */
  cut: boolean;
  isHeader: boolean;
  key?: string;
  value?: string;
}

/**
 * smithy's prefixKeyRegex, how the JS SDK names a section: a type, one whitespace
 * character, then a name of these characters, optionally quoted.
 */
const PREFIXED_SECTION = /^([\w-]+)\s(["'])?([\w\-@+.%:/]+)\2$/;
/** smithy's IniSectionType: a prefixed section of any other type is skipped. */
const SECTION_TYPES = ['profile', 'sso-session', 'services'];

/** Lines as parseIni splits them: at `\n` and `\r\n` only, so a lone `\r` stays inside a line. */
export function splitJsLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** One line as parseIni reads it: a comment starts at `#` or `;` at the start or after whitespace; keys split at the first `=`. */
export function readJsLine(text: string): JsLine {
  const trimmed = (text.split(/(?:^|\s)[;#]/)[0] ?? '').trim();
  const cut = trimmed !== text.trim();
  const isHeader = trimmed.startsWith('[') && trimmed.endsWith(']');
  const equals = trimmed.indexOf('=');
  if (isHeader || equals <= 0) return { trimmed, cut, isHeader };
  return { trimmed, cut, isHeader, key: trimmed.slice(0, equals).trim(), value: trimmed.slice(equals + 1).trim() };
}

/** parseIni's key for a section header (`profile.dev`, `default`, `dev`); undefined when it skips the section's lines. */
export function jsSectionKey(sectionName: string): string | undefined {
  const match = PREFIXED_SECTION.exec(sectionName);
  if (match === null) return sectionName;
  return SECTION_TYPES.includes(match[1] ?? '') ? `${match[1] ?? ''}.${match[3] ?? ''}` : undefined;
}

/** getConfigData, the config file: `default`, and `profile.NAME` / `sso-session.NAME` split at the first dot, so `[profile.dev]` is dev too. */
export function jsIdentity(sectionKey: string): SectionIdentity {
  if (sectionKey === 'default') return { kind: 'profile', name: 'default' };
  const dot = sectionKey.indexOf('.');
  const prefix = dot < 0 ? '' : sectionKey.slice(0, dot);
  if (prefix === 'profile' || prefix === 'sso-session') return { kind: prefix, name: sectionKey.slice(dot + 1) };
  return { kind: 'other' };
}

/**
 * parseIni's nested block after a line with a key: a key with no value opens one (and is
 * no key itself); a key with a value at the start of its line closes it; inside one a key
 * is `<block>.<key>`.
 */
export function jsSubSectionAfter(text: string, js: JsLine, current: string | undefined): string | undefined {
  if (js.key === undefined) return current;
  if (js.value === '') return js.key;
  return text.trimStart() === text ? undefined : current;
}
