import { parse } from 'ini';

/**
 * The sections of an AWS config file that Latchkey reads, with their raw string values.
 *
 * The `ini` package does the parsing. Its dialect differs from the AWS tools' in three
 * ways that matter here, so each line is first rewritten into ini's dialect:
 * - Comments. The AWS SDKs end a line at `#` or `;` only at its start or after
 *   whitespace (smithy `parseIni`), and botocore has no inline comments at all; ini cuts
 *   at any `#`. Start URLs copied from the browser end in `#/`
 *   (`https://d-123.awsapps.com/start/#/`), so a bare `#` must survive: it is escaped.
 * - Dots. ini nests `[profile a.b]` as section `b` inside `profile a`; AWS profile names
 *   often contain dots, so dots in section names are escaped.
 * - Sub-sections. A key with an empty value opens an indented block (`s3 =` then
 *   `  addressing_style = path`); the SDK stores those keys as `s3.addressing_style`, so a
 *   nested key can never pose as a top-level `sso_region`. The rewrite prefixes them alike.
 * Values in quotes lose their quotes in ini (the AWS tools keep them); for the values
 * read here (URLs, regions, ids, names) a quoted value is a user error either way.
 */
export interface AwsConfigSection {
  kind: 'profile' | 'sso-session';
  name: string;
  /** The header as written in the file, for messages: `[profile dev]`, `[default]`. */
  header: string;
  values: Readonly<Record<string, string>>;
}

/**
 * `[profile NAME]`, `[sso-session NAME]`, optionally quoted, as botocore (shlex) and the
 * SDKs accept them. Other sections (`[services x]`, `[preview]`, `[foo]`) are not ours.
 */
const PREFIXED_SECTION = /^(profile|sso-session)\s+(["']?)([^\s"']+)\2$/;

export function readAwsConfigSections(text: string): AwsConfigSection[] {
  const parsed: Record<string, unknown> = parse(toIniDialect(text));
  const sections: AwsConfigSection[] = [];
  for (const [header, body] of Object.entries(parsed)) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) continue;
    const section = classify(header.trim(), stringValues(body as Record<string, unknown>));
    if (section !== undefined) sections.push(section);
  }
  return preferExplicitDefault(sections);
}

function classify(header: string, values: Record<string, string>): AwsConfigSection | undefined {
  if (header === 'default') return { kind: 'profile', name: 'default', header: '[default]', values };
  const match = PREFIXED_SECTION.exec(header);
  if (match === null) return undefined;
  const kind = match[1] === 'profile' ? 'profile' : 'sso-session';
  return { kind, name: match[3] ?? '', header: `[${header}]`, values };
}

/**
 * `[default]` and `[profile default]` both name the default profile. The JS SDK lets
 * `[profile default]` win (getConfigData), so do the same rather than mix the two.
 */
function preferExplicitDefault(sections: AwsConfigSection[]): AwsConfigSection[] {
  const explicit = sections.some((s) => s.kind === 'profile' && s.name === 'default' && s.header !== '[default]');
  return explicit ? sections.filter((s) => s.header !== '[default]') : sections;
}

/** ini turns `true`/`false`/`null` into JSON values and `key[]` into arrays; the AWS tools see text. */
function stringValues(body: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string' || typeof value === 'boolean' || value === null) values[key] = String(value);
  }
  return values;
}

/** Rewrites the AWS dialect line by line into ini's; see the interface comment for why. */
function toIniDialect(text: string): string {
  const out: string[] = [];
  let subSection: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = (rawLine.split(/(?:^|\s)[;#]/)[0] ?? '').trim();
    if (line === '') continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      subSection = undefined;
      out.push(`[${escapeForIni(line.slice(1, -1)).replace(/\./g, '\\.')}]`);
      continue;
    }
    const equals = line.indexOf('=');
    if (equals <= 0) continue; // the SDK ignores lines without a key and value
    const key = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    if (value === '') {
      subSection = key;
      continue;
    }
    const indented = rawLine.trimStart() !== rawLine;
    if (!indented) subSection = undefined;
    const fullKey = subSection === undefined ? key : `${subSection}.${key}`;
    out.push(`${escapeForIni(fullKey)} = ${escapeForIni(value)}`);
  }
  return out.join('\n');
}

/** ini keeps `\\`, `\;` and `\#` as literal characters. */
function escapeForIni(text: string): string {
  return text.replace(/[\\;#]/g, (c) => `\\${c}`);
}
