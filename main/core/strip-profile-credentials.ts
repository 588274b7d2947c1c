import { botocoreSectionIdentity, JS_SDK_PREFIXED_SECTION } from './aws-config-ini-lines';

/**
 * One profile of an AWS shared file (`~/.aws/config` or `~/.aws/credentials`) without
 * its credentials, for the child of `latchkey exec`: the SDKs and CLIs try the shared
 * files before the container endpoint, so a profile that names its own credentials
 * (static keys, credential_process, a role to assume, SSO) would win over the endpoint.
 * Its other settings (region, retries, endpoints, s3 ...) stay, and every other line of
 * the file is kept byte for byte, so profiles the child names explicitly still work.
 *
 * This is a line filter, not a parser: the clients read these files in two dialects,
 * and a line is removed when either would read it as a credential of the profile.
 * - The JS SDK (smithy parseIni): a header is a trimmed line in brackets, `profile NAME`
 *   with one space in the config file; keys split at the first `=`; `#`/`;` start a
 *   comment at a line's start or after whitespace; a key with an empty value opens a
 *   sub-section of the indented lines that follow.
 * - botocore and both AWS CLIs (Python's RawConfigParser): a header is `[` to the last
 *   `]`; any section starting with `profile` whose shlex split has two words names the
 *   second; keys split at the first `=` or `:` and are lower-cased; a line indented
 *   deeper than the key before it (blank and comment lines between included) continues
 *   that key's value; `[DEFAULT]` lends its keys to every section of the file.
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


export function stripProfileCredentials(text: string, kind: SharedFileKind, profile: string): StrippedSharedFile {
  // botocore opens the file in Python's universal-newline mode, where a lone \r ends a line too.
  const parts = text.split(/(\r\n|\r|\n)/);
  const kept: string[] = [];
  const boto = { inProfile: false, inSection: false, optionIndent: -1, optionRemoved: false };
  const sdk = { inProfile: false, inSection: false, subSection: false };
  let hasProfile = false;
  let changed = false;
  for (let index = 0; index < parts.length; index += 2) {
    const line = parts[index] ?? '';
    const eol = parts[index + 1] ?? '';
    let remove = false;

    const stripped = line.trim();
    // Blank and comment lines are empty to RawConfigParser: they neither hold nor end a value.
    if (stripped !== '' && !stripped.startsWith('#') && !stripped.startsWith(';')) {
      const indent = line.search(/\S/);
      if (boto.inSection && boto.optionIndent >= 0 && indent > boto.optionIndent) {
        remove = boto.optionRemoved;
      } else {
        boto.optionIndent = -1;
        boto.optionRemoved = false;
        const header = pythonHeader(stripped);
        if (header !== undefined) {
          boto.inSection = true;
          boto.inProfile = botocoreSectionIdentity(header).kind === 'defaults' || pythonNamesProfile(header, kind, profile);
          hasProfile ||= pythonNamesProfile(header, kind, profile);
        } else if (boto.inSection) {
          const key = /^(.*?)\s*[=:]/.exec(stripped)?.[1];
          if (key !== undefined) {
            boto.optionIndent = indent;
            boto.optionRemoved = boto.inProfile && isCredentialKey(key);
            remove = boto.optionRemoved;
          }
        }
      }
    }

    const sdkLine = (line.split(/(?:^|\s)[;#]/)[0] ?? '').trim();
    if (sdkLine.startsWith('[') && sdkLine.endsWith(']')) {
      sdk.inSection = true;
      sdk.inProfile = sdkNamesProfile(sdkLine.slice(1, -1), kind, profile);
      sdk.subSection = false;
    } else if (sdk.inSection) {
      const equals = sdkLine.indexOf('=');
      if (equals > 0) {
        const key = sdkLine.slice(0, equals).trim();
        if (sdkLine.slice(equals + 1).trim() === '') {
          sdk.subSection = true;
        } else {
          if (sdk.subSection && line.trimStart() === line) sdk.subSection = false;
          // Inside a sub-section the key is `s3.<key>`, never a credential.
          if (!sdk.subSection && sdk.inProfile && isCredentialKey(key)) remove = true;
        }
      }
    }

    if (remove) changed = true;
    else kept.push(line + eol);
  }
  return { text: kept.join(''), changed, hasProfile };
}

function isCredentialKey(key: string): boolean {
  const name = key.trim().toLowerCase();
  return CREDENTIAL_KEYS.has(name) || CREDENTIAL_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** RawConfigParser's SECTCRE, `\[(?P<header>.+)\]` matched at the start of the stripped line. */
function pythonHeader(stripped: string): string | undefined {
  const close = stripped.lastIndexOf(']');
  return stripped.startsWith('[') && close >= 2 ? stripped.slice(1, close) : undefined;
}

/** As botocore's build_profile_map names sections (config) and its credentials provider looks them up. */
function pythonNamesProfile(header: string, kind: SharedFileKind, profile: string): boolean {
  if (kind === 'credentials') return header.trim() === profile;
  const identity = botocoreSectionIdentity(header);
  return identity.kind === 'profile' && identity.name === profile;
}

/** As smithy's parseIni and getConfigData name sections: `[default]` and `[profile NAME]` in the config, `[NAME]` in credentials. */
function sdkNamesProfile(section: string, kind: SharedFileKind, profile: string): boolean {
  const prefixed = JS_SDK_PREFIXED_SECTION.exec(section);
  if (kind === 'credentials') return prefixed === null && section === profile;
  if (prefixed !== null) return prefixed[1] === 'profile' && prefixed[3] === profile;
  return profile === 'default' && section === 'default';
}
