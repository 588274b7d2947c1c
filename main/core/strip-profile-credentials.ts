import { botocoreSectionIdentity, readIniLines, splitIniLinesWithEnds } from './aws-config-ini-lines';
import { jsIdentity, jsSectionKey, jsSubSectionAfter, readJsLine } from './aws-config-js-lines';

/**
 * One profile of an AWS shared file (`~/.aws/config` or `~/.aws/credentials`) without
 * its credentials, for the child of `latchkey exec`: the SDKs and CLIs try the shared
 * files before the container endpoint, so a profile that names its own credentials
 * (static keys, credential_process, a role to assume, SSO) would win over the endpoint.
 * Its other settings (region, retries, endpoints, s3 ...) stay, and every other line of
 * the file is kept byte for byte, so profiles the child names explicitly still work.
 *
 * The clients read these files in two dialects, and a line is removed when either reads
 * it as a credential key of the profile; each dialect is read by the module that models
 * it, checked against the real parser:
 * - botocore and both AWS CLIs (Python's RawConfigParser): aws-config-ini-lines.ts. Lines
 *   also end at a lone `\r`; whitespace is Python's (U+001C..U+001F and U+0085 too);
 *   keys split at `=` or `:` and are lower-cased; a line indented deeper than the key
 *   before it continues that key's value; `[DEFAULT]` lends its keys to every section.
 * - The JS SDK (smithy's parseIni and getConfigData): aws-config-js-lines.ts. Lines end
 *   at `\n` or `\r\n` only; whitespace is JavaScript's; `[profile.dev]` is dev too; keys
 *   are case-sensitive; a key with an empty value opens a nested block.
 * A JS SDK line holding several botocore lines (lone `\r`) loses only the botocore lines
 * botocore reads as credentials, unless what is left is still one to the JS SDK.
 */
export type SharedFileKind = 'config' | 'credentials';

export interface StrippedSharedFile {
  /** The file with the profile's credential lines removed; every other byte as it was. */
  text: string;
  changed: boolean;
  /**
   * Whether botocore finds the profile in this file. It refuses a profile named in
   * AWS_PROFILE that neither file holds (ProfileNotFound), so the caller must not name one.
   */
  hasProfile: boolean;
}

/**
 * Keys with which a profile names its credentials or how to get them, in any of the SDKs
 * and CLIs (botocore 1.29 credentials.py, @aws-sdk/credential-provider-ini), lower case.
 * The account id and credential scope belong to static keys; the role keys only mean
 * something with role_arn.
 */
const CREDENTIAL_KEYS: ReadonlySet<string> = new Set([
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'aws_security_token',
  'aws_account_id',
  'aws_credential_scope',
  'credential_process',
  'credential_source',
  'role_arn',
  'source_profile',
  'role_session_name',
  'external_id',
  'mfa_serial',
  'duration_seconds',
  'web_identity_token_file',
  'login_session',
]);

/** sso_session, sso_account_id ... (the SDKs' SSO provider takes any of them); Latchkey's own role keys. */
const CREDENTIAL_PREFIXES = ['sso_', 'latchkey_'];

interface Pass {
  text: string;
  hasProfile: boolean;
  /** Whether the JS SDK's reading removed a line botocore kept, which can change how botocore reads the lines after it. */
  revisit: boolean;
}

export function stripProfileCredentials(text: string, kind: SharedFileKind, profile: string): StrippedSharedFile {
  let pass = stripOnce(text, kind, profile);
  // Say a line botocore reads as a key it does not know (`\uFEFFcredential_process`)
  // goes: the indented `key: value` lines it read as that key's value are then keys of
  // their own to botocore. Each pass removes a line or ends the loop.
  while (pass.revisit) pass = stripOnce(pass.text, kind, profile);
  return { text: pass.text, changed: pass.text !== text, hasProfile: pass.hasProfile };
}

function stripOnce(text: string, kind: SharedFileKind, profile: string): Pass {
  const lines = splitIniLinesWithEnds(text);
  const botocore = botocoreCredentialLines(text, kind, profile);
  const js: { section: string | undefined; inProfile: boolean; subSection: string | undefined } = { section: undefined, inProfile: false, subSection: undefined };
  const out: string[] = [];
  let revisit = false;
  for (let first = 0; first < lines.length; ) {
    // One line to the JS SDK: botocore's lines up to one that ends in \n or \r\n.
    let last = first;
    while (last < lines.length - 1 && lines[last]?.end === '\r') last += 1;
    const kept: string[] = [];
    for (let index = first; index <= last; index += 1) if (!botocore.remove.has(index)) kept.push(lines[index]?.line ?? '');
    const end = lines[last]?.end ?? '';
    first = last + 1;
    if (kept.length === 0) continue;
    // A lone \r at the end of the file is still part of the JS SDK's last line.
    const jsText = kept.join('\r') + (end === '\r' ? end : '');
    const read = readJsLine(jsText);
    if (read.isHeader) {
      js.section = jsSectionKey(read.trimmed.slice(1, -1));
      js.inProfile = js.section !== undefined && jsNamesProfile(js.section, kind, profile);
      js.subSection = undefined;
    } else if (js.section !== undefined && js.section !== '') {
      const subSection = jsSubSectionAfter(jsText, read, js.subSection);
      // A key with no value opens a nested block. Inside one the JS SDK v3 reads `s3.<key>`,
      // but the JS SDK v2 has no nested blocks and reads the key as the profile's own: a
      // credential key goes there too (no nested setting of any SDK is named like one).
      if (js.inProfile && read.key !== undefined && read.value !== '' && isCredentialKey(read.key)) {
        revisit = true;
        continue;
      }
      js.subSection = subSection;
    }
    out.push(kept.join('\r') + end);
  }
  return { text: out.join(''), hasProfile: botocore.hasProfile, revisit };
}

/** The lines (by index from 0) botocore reads as credential keys of the profile or as their values, and whether it finds the profile. */
function botocoreCredentialLines(text: string, kind: SharedFileKind, profile: string): { remove: Set<number>; hasProfile: boolean } {
  const remove = new Set<number>();
  let hasProfile = false;
  let inProfile = false;
  let optionRemoved = false;
  for (const entry of readIniLines(text)) {
    if (entry.kind === 'header') {
      const names = botocoreNamesProfile(entry.header, kind, profile);
      hasProfile ||= names;
      inProfile = names || botocoreSectionIdentity(entry.header).kind === 'defaults';
      optionRemoved = false;
    } else if (entry.kind === 'option') {
      optionRemoved = inProfile && isCredentialKey(entry.key);
    } else if (entry.kind === 'unreadable') {
      optionRemoved = false;
    }
    // Blank and comment lines neither hold nor end a value: they stay.
    if (optionRemoved && (entry.kind === 'option' || entry.kind === 'continuation')) remove.add(entry.line - 1);
  }
  return { remove, hasProfile };
}

/** `key` as the client spells it: botocore lower-cases keys, the JS SDK does not. */
function isCredentialKey(key: string): boolean {
  return CREDENTIAL_KEYS.has(key) || CREDENTIAL_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** As botocore's build_profile_map names sections (config), and its credentials provider looks them up, by the raw header (credentials). */
function botocoreNamesProfile(header: string, kind: SharedFileKind, profile: string): boolean {
  if (kind === 'credentials') return header === profile;
  const identity = botocoreSectionIdentity(header);
  return identity.kind === 'profile' && identity.name === profile;
}

/** As the JS SDK looks a profile up: by parseIni's section key in credentials, through getConfigData in the config. */
function jsNamesProfile(sectionKey: string, kind: SharedFileKind, profile: string): boolean {
  if (kind === 'credentials') return sectionKey === profile;
  const identity = jsIdentity(sectionKey);
  return identity.kind === 'profile' && identity.name === profile;
}
