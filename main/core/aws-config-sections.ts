import { botocoreSectionIdentity, pyStrip, readIniLines } from './aws-config-ini-lines';

/**
 * The sections of an AWS config file that Latchkey reads, with their raw string values.
 *
 * They are read as the AWS CLI and botocore read them (aws-config-ini-lines.ts): keys
 * lower-cased, `key: value` read, `#` and `;` only as whole-line comments, indented lines
 * continuing the value above them, `[DEFAULT]` keys inherited by every section, a later
 * section naming the same profile in other words (`[profile "dev"]`, `[default]` after
 * `[profile default]`) replacing the earlier one. Where botocore refuses the whole file
 * (a byte-order mark, a repeated section or key, a line it cannot read) Latchkey reads
 * on as the JS SDK does: one section per header text, merged, the last value of a key
 * winning, the unreadable line ignored. Every such place gets a warning
 * (aws-config-dialect.ts), so no file is read differently from the AWS CLI in silence.
 *
 * A key with an empty value followed by deeper-indented `name = value` lines is a nested
 * block (`s3 =` then `  addressing_style = path`); its keys are stored as
 * `s3.addressing_style`, as the JS SDK names them, so none can pose as a top-level key.
 */
export interface AwsConfigSection {
  kind: 'profile' | 'sso-session';
  name: string;
  /** The header as written in the file, for messages: `[profile dev]`, `[default]`. */
  header: string;
  values: Readonly<Record<string, string>>;
}

/** The JS SDK refuses a whole file with a `__proto__` profile; Latchkey leaves that one section out instead. */
export const RESERVED_SECTION_NAME = '__proto__';

interface RawSection {
  header: string;
  values: Map<string, string[]>;
}

export function readAwsConfigSections(text: string): AwsConfigSection[] {
  const { sections, defaults } = collectRawSections(text);
  const byIdentity = new Map<string, AwsConfigSection>();
  // Header texts in the order they first appear, as botocore's dict iterates them; a
  // later header naming the same profile or session replaces the earlier one.
  for (const raw of sections.values()) {
    const identity = botocoreSectionIdentity(raw.header);
    if (identity.kind !== 'profile' && identity.kind !== 'sso-session') continue;
    if (identity.name === RESERVED_SECTION_NAME) continue;
    const values = flatten(new Map([...defaults, ...raw.values]));
    byIdentity.set(`${identity.kind} ${identity.name}`, { ...identity, header: `[${raw.header}]`, values });
  }
  return [...byIdentity.values()];
}

function collectRawSections(text: string): { sections: Map<string, RawSection>; defaults: Map<string, string[]> } {
  const sections = new Map<string, RawSection>();
  const defaults = new Map<string, string[]>();
  let current: Map<string, string[]> | undefined;
  let pendingBlankLines = 0;
  for (const entry of readIniLines(text.replace(/^\uFEFF/, ''))) {
    if (entry.kind === 'blank') pendingBlankLines += 1;
    if (entry.kind === 'blank' || entry.kind === 'comment' || entry.kind === 'unreadable') continue;
    if (entry.kind === 'header') {
      current = sectionFor(entry.header, sections, defaults);
    } else if (entry.kind === 'option') {
      current?.set(entry.key, [entry.value]);
    } else if (entry.kind === 'continuation') {
      // configparser keeps the blank lines inside a continued value.
      current?.get(entry.key)?.push(...Array<string>(pendingBlankLines).fill(''), entry.value);
    }
    pendingBlankLines = 0;
  }
  return { sections, defaults };
}

function sectionFor(header: string, sections: Map<string, RawSection>, defaults: Map<string, string[]>): Map<string, string[]> {
  if (header === 'DEFAULT') return defaults;
  const existing = sections.get(header);
  if (existing !== undefined) return existing.values;
  const created: RawSection = { header, values: new Map() };
  sections.set(header, created);
  return created.values;
}

/** Joins continued values as configparser does, and spreads nested blocks into `parent.key` entries. */
function flatten(values: Map<string, string[]>): Record<string, string> {
  const flat: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, parts] of values) {
    // configparser's rstrip and botocore's strip are Python's: U+FEFF stays, U+001C..U+001F and U+0085 go.
    const value = pyStrip(parts.join('\n'));
    if (parts[0] === '' && value !== '') {
      for (const nested of value.split('\n')) {
        const equals = nested.indexOf('=');
        if (equals > 0) flat[`${key}.${pyStrip(nested.slice(0, equals))}`] = pyStrip(nested.slice(equals + 1));
      }
    } else {
      flat[key] = value;
    }
  }
  return flat;
}
