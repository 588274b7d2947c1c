import { botocoreSectionIdentity, pyStrip, readIniLines, type IniLine, type SectionIdentity } from './aws-config-ini-lines';
import { jsIdentity, jsSectionKey, jsSubSectionAfter, readJsLine, type JsLine } from './aws-config-js-lines';
import { RESERVED_SECTION_NAME } from './aws-config-sections';
import { printable } from './printable-text';

/**
 * Where the AWS CLI (botocore) and the JS SDK read one AWS config file differently.
 * Latchkey reads as botocore does where botocore reads the file at all
 * (aws-config-sections.ts), and as the JS SDK does where botocore refuses it; either way
 * the user is told, because a profile that works in one client and not the other, or
 * holds another value there, is found only by its symptoms otherwise.
 *
 * The JS SDK's reading is smithy's `parseIni` and `getConfigData`
 * (@smithy/core/config, shared-ini-file-loader), emulated line by line by
 * aws-config-js-lines.ts; both readings are checked against the real parsers by
 * test/unit/core/aws-config-dialect-parsers.test.ts. Lines are numbered as Python
 * numbers them.
 */
export type DialectConstruct =
  | 'byte-order-mark'
  | 'lone-carriage-return'
  | 'repeated-section'
  | 'same-section-twice'
  | 'section-name'
  | 'defaults-section'
  | 'reserved-section-name'
  | 'key-before-section'
  | 'line-without-delimiter'
  | 'colon-delimiter'
  | 'key-case'
  | 'repeated-key'
  | 'inline-comment'
  | 'whitespace-character'
  | 'continuation-line'
  | 'nested-block';

export interface AwsConfigDialectWarning {
  filePath: string;
  line: number;
  construct: DialectConstruct;
  /** The profile or session the line belongs to, as botocore reads it; absent for lines of the whole file. */
  section?: { kind: 'profile' | 'sso-session'; name: string };
  /** One sentence: file, line, construct, what the AWS CLI does and what the JS SDK does, and the fix. */
  message: string;
}

const REFUSES = 'the AWS CLI and botocore refuse the whole file';

interface ScanState {
  header?: string;
  identity: SectionIdentity;
  optionKey?: string;
  optionValueEmpty: boolean;
  jsSubSection?: string;
  headersSeen: Set<string>;
  /** The JS SDK's key of each profile or session botocore has met, by botocore identity. */
  identitiesSeen: Map<string, string>;
  keysSeen: Set<string>;
}

export function findDialectWarnings(text: string, filePath: string): AwsConfigDialectWarning[] {
  const warnings: AwsConfigDialectWarning[] = [];
  const state: ScanState = { identity: { kind: 'other' }, optionValueEmpty: false, headersSeen: new Set(), identitiesSeen: new Map(), keysSeen: new Set() };
  function warn(line: number, construct: DialectConstruct, sentence: string, fileWide = false): void {
    const section = !fileWide && (state.identity.kind === 'profile' || state.identity.kind === 'sso-session') ? { kind: state.identity.kind, name: state.identity.name } : undefined;
    warnings.push({ filePath, line, construct, ...(section === undefined ? {} : { section }), message: `${filePath} line ${line}: ${sentence}.` });
  }
  if (text.startsWith('\uFEFF')) {
    warn(1, 'byte-order-mark', `a UTF-8 byte-order mark; ${REFUSES}, the JS SDK and Latchkey skip the mark: save the file as UTF-8 without a BOM`, true);
  }
  const loneCr = text.search(/\r(?!\n)/);
  if (loneCr >= 0) {
    const line = (text.slice(0, loneCr).match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
    warn(line, 'lone-carriage-return', 'a line ends in a carriage return alone; the AWS CLI, botocore and Latchkey take it as a line break, the JS SDK does not: save the file with LF or CRLF line endings', true);
  }
  for (const entry of readIniLines(text.replace(/^\uFEFF/, ''))) {
    const js = readJsLine(entry.text);
    if (entry.kind === 'header') checkHeader(entry, js, state, warn);
    else if (entry.kind === 'option') checkOption(entry, js, state, warn);
    else if (entry.kind === 'continuation') checkContinuation(entry, js, state, warn);
    else if (entry.kind === 'unreadable') checkUnreadable(entry, warn);
  }
  return warnings;
}

type Warn = (line: number, construct: DialectConstruct, sentence: string, fileWide?: boolean) => void;

function checkHeader(entry: Extract<IniLine, { kind: 'header' }>, js: JsLine, state: ScanState, warn: Warn): void {
  const header = `[${quoted(entry.header)}]`;
  const repeated = state.headersSeen.has(entry.header) && entry.header !== 'DEFAULT';
  state.headersSeen.add(entry.header);
  state.header = entry.header;
  state.identity = botocoreSectionIdentity(entry.header);
  state.optionKey = undefined;
  state.jsSubSection = undefined;
  state.keysSeen = new Set();
  const jsKey = js.isHeader ? jsSectionKey(js.trimmed.slice(1, -1)) : undefined;
  if (state.identity.kind === 'defaults') {
    warn(entry.line, 'defaults-section', `a [DEFAULT] section; the AWS CLI, botocore and Latchkey give its keys to every profile and sso-session, the JS SDK ignores it: move its keys into the sections that need them`);
    return;
  }
  if (repeated) {
    warn(entry.line, 'repeated-section', `a second ${header} section; ${REFUSES}, the JS SDK and Latchkey merge the two: remove one`);
    return;
  }
  if (state.identity.kind === 'profile' && state.identity.name === RESERVED_SECTION_NAME) {
    warn(entry.line, 'reserved-section-name', `a profile named __proto__; the AWS CLI and botocore read it, the JS SDK refuses the whole file and Latchkey leaves the section out: rename it`);
    return;
  }
  if (jsKey === '__proto__' || jsKey === 'profile __proto__') {
    warn(entry.line, 'reserved-section-name', `a section named ${header}; the JS SDK refuses the whole file, the AWS CLI, botocore and Latchkey do not: rename it`);
    return;
  }
  const jsMeaning = jsKey === undefined ? undefined : jsIdentity(jsKey);
  if (!sameIdentity(state.identity, jsMeaning ?? { kind: 'other' })) {
    const botocore = state.identity.kind === 'profile' || state.identity.kind === 'sso-session' ? `read it as ${nameOf(state.identity)}` : 'ignore it';
    const jsSays = !js.isHeader ? 'reads the line as a key, not a section' : jsMeaning?.kind === 'profile' || jsMeaning?.kind === 'sso-session' ? `reads it as ${nameOf(jsMeaning)}` : 'ignores it';
    warn(entry.line, 'section-name', `${header}; the AWS CLI, botocore and Latchkey ${botocore}, the JS SDK ${jsSays}: write it as [profile NAME] or [sso-session NAME] with one space and a name of letters, digits and -_.@+%:/`);
    return;
  }
  if (state.identity.kind !== 'profile' && state.identity.kind !== 'sso-session') return;
  const identityKey = `${state.identity.kind} ${state.identity.name}`;
  const earlierJsKey = state.identitiesSeen.get(identityKey);
  state.identitiesSeen.set(identityKey, jsKey ?? '');
  // [profile default] wins in the JS SDK wherever it stands; botocore takes the later section.
  if (earlierJsKey === undefined || (earlierJsKey === 'default' && jsKey === 'profile.default')) return;
  const jsDoes = earlierJsKey === 'profile.default' && jsKey === 'default' ? 'uses [profile default]' : 'merges the two';
  warn(entry.line, 'same-section-twice', `${header} names ${nameOf(state.identity)} a second time; the AWS CLI, botocore and Latchkey use only this later section, the JS SDK ${jsDoes}: keep one`);
}

function checkOption(entry: Extract<IniLine, { kind: 'option' }>, js: JsLine, state: ScanState, warn: Warn): void {
  const key = quoted(entry.rawKey);
  const where = state.header === undefined ? '' : ` in [${quoted(state.header)}]`;
  const jsNests = state.jsSubSection !== undefined && entry.text.trimStart() !== entry.text && js.key !== undefined && js.value !== '';
  if (entry.delimiter === ':') {
    const jsDoes = js.key === undefined ? 'ignores the line' : `reads the key ${quoted(js.key)}`;
    warn(entry.line, 'colon-delimiter', `"${key}:" uses ":" between key and value; the AWS CLI, botocore and Latchkey read the key ${quoted(entry.key)}, the JS SDK ${jsDoes}: write "${quoted(entry.key)} = value"`);
  } else if (js.cut) {
    warn(entry.line, 'inline-comment', `${key} has a comment after its value; the AWS CLI, botocore and Latchkey keep the comment as part of the value, the JS SDK drops it: put the comment on a line of its own`);
  } else if (jsNests) {
    warn(entry.line, 'nested-block', `${key} is indented as far as ${quoted(state.optionKey ?? '')} above it; the AWS CLI, botocore and Latchkey read it as a key of its own, the JS SDK as part of that nested block: indent the block's keys deeper than its first line`);
  } else if (js.key !== entry.rawKey || js.value !== entry.value) {
    // Nothing else splits an "=" line differently: Python's whitespace is not JavaScript's.
    const sameKey = js.key === entry.rawKey;
    const botocore = sameKey ? `read a value of ${Array.from(entry.value).length} characters` : `read the key ${quoted(entry.key)}`;
    const jsDoes = js.key === undefined ? 'ignores the line' : sameKey ? `one of ${Array.from(js.value ?? '').length}` : `the key ${quoted(js.key)}`;
    warn(entry.line, 'whitespace-character', `${key} has an invisible character at the edge of its key or value that Python takes for whitespace and JavaScript does not, or the reverse (U+001C to U+001F, U+0085, U+FEFF); the AWS CLI, botocore and Latchkey ${botocore}, the JS SDK ${jsDoes}: remove the character`);
  }
  if (entry.rawKey !== entry.key) {
    warn(entry.line, 'key-case', `${key} has capital letters; the AWS CLI, botocore and Latchkey read it as ${quoted(entry.key)}, the JS SDK does not find it under that name: write it in lower case`);
  }
  if (state.keysSeen.has(entry.key)) {
    warn(entry.line, 'repeated-key', `${key} is set a second time${where}; ${REFUSES}, the JS SDK and Latchkey take the last value: remove one`);
  }
  state.keysSeen.add(entry.key);
  state.optionKey = entry.key;
  state.optionValueEmpty = entry.value === '';
  state.jsSubSection = jsSubSectionAfter(entry.text, js, state.jsSubSection);
}

function checkContinuation(entry: Extract<IniLine, { kind: 'continuation' }>, js: JsLine, state: ScanState, warn: Warn): void {
  const above = quoted(entry.key);
  if (!state.optionValueEmpty) {
    warn(entry.line, 'continuation-line', `an indented line under ${above}; the AWS CLI, botocore and Latchkey read it as more of the value of ${above}, the JS SDK ${js.isHeader ? 'as a section header' : js.key === undefined ? 'ignores it' : 'as a key of its own'}: remove the indent, or join it to the line above`);
    return;
  }
  const equals = entry.value.indexOf('=');
  if (equals < 0) {
    warn(entry.line, 'nested-block', `a line without "=" in the nested block under ${above}; ${REFUSES}, the JS SDK and Latchkey ignore the line: write "name = value"`);
    return;
  }
  const jsAgrees =
    state.jsSubSection === entry.key && js.key === pyStrip(entry.value.slice(0, equals)) && js.value === pyStrip(entry.value.slice(equals + 1));
  if (!jsAgrees) {
    const construct: DialectConstruct = js.cut ? 'inline-comment' : 'nested-block';
    const detail = js.cut ? 'keep the comment as part of the value' : `read it as a key of the nested block ${above}`;
    warn(entry.line, construct, `a line of the nested block under ${above}; the AWS CLI, botocore and Latchkey ${detail}, the JS SDK reads it otherwise: ${js.cut ? 'put the comment on a line of its own' : 'write "name = value" indented under the block'}`);
  }
}

function checkUnreadable(entry: Extract<IniLine, { kind: 'unreadable' }>, warn: Warn): void {
  if (entry.reason === 'before-section') {
    warn(entry.line, 'key-before-section', `a line before the first section; ${REFUSES}, the JS SDK and Latchkey ignore it: move it into a section or remove it`, true);
  } else {
    warn(entry.line, 'line-without-delimiter', `a line with no key before "=" or ":"; ${REFUSES}, the JS SDK and Latchkey ignore it: write "name = value", or make it a comment with "#"`);
  }
}

function sameIdentity(a: SectionIdentity, b: SectionIdentity): boolean {
  if (a.kind === 'profile' || a.kind === 'sso-session') return b.kind === a.kind && 'name' in b && b.name === a.name;
  return b.kind === 'other' || b.kind === 'defaults';
}

function nameOf(identity: { kind: 'profile' | 'sso-session'; name: string }): string {
  return `${identity.kind} "${quoted(identity.name)}"`;
}

/** File text inside a message: short, and never a control character (the file is anyone's text). */
function quoted(text: string): string {
  return printable(text, 60);
}
