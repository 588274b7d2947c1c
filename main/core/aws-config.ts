import { missingProfileMessage, type AwsConfigNames } from './aws-config-advice';
import { AwsConfigError, type AwsConfigProblem } from './aws-config-error';
import { isAccountId, isRegionCode } from './aws-identifiers';
import { printable } from './printable-text';
import { findDialectWarnings, type AwsConfigDialectWarning } from './aws-config-dialect';
import { readAwsConfigSections, type AwsConfigSection } from './aws-config-sections';

/**
 * The AWS config file as Latchkey reads it (docs/contract.md section 3): the `[sso-session]`
 * sections and the profiles Latchkey serves. Parsing never throws: a section with
 * problems is left out of the model and its problems are listed, so one bad profile
 * does not stop the others from working, and the CLI can print every problem at once.
 *
 * Legacy profiles (`sso_start_url` and `sso_region` written into the profile itself, no
 * `[sso-session]`) are reported, not served. Their tokens have no refresh token in the
 * AWS tools, a synthesized session would need a name the user never chose (and must
 * pass to `latchkey login --session`), and `aws configure sso` has written the
 * sso-session form since AWS CLI 2.9. The problem says how to convert.
 */
export interface SsoSessionConfig {
  name: string;
  startUrl: string;
  region: string;
  registrationScopes: string[];
  /** `latchkey_sync_aws_cache = true`: export this session's token to the AWS CLI cache. */
  syncAwsCache: boolean;
}

export interface LatchkeyProfileConfig {
  name: string;
  session: string;
  accountId: string;
  roleName: string;
  /** The profile's `region`, the default region for AWS calls made with it. */
  region?: string;
  usesCredentialProcess: boolean;
}

export interface AwsConfig {
  filePath: string;
  ssoSessions: ReadonlyMap<string, SsoSessionConfig>;
  profiles: ReadonlyMap<string, LatchkeyProfileConfig>;
  problems: readonly AwsConfigProblem[];
  /** Lines the AWS CLI and the JS SDK read differently (aws-config-dialect.ts); Latchkey serves on. */
  dialectWarnings: readonly AwsConfigDialectWarning[];
  /** True when there is no file at filePath and it was read as empty (aws-config-file.ts). */
  fileMissing?: boolean;
}

export const DEFAULT_REGISTRATION_SCOPES: readonly string[] = ['sso:account:access'];

/** `text` is the file's content as read (a byte-order mark included); `filePath` is only used in messages. */
export function parseAwsConfig(text: string, filePath: string): AwsConfig {
  const sections = readAwsConfigSections(text);
  const problems: AwsConfigProblem[] = [];
  const ssoSessions = new Map<string, SsoSessionConfig>();
  const sessionNames = new Set<string>();
  for (const section of sections) {
    if (section.kind !== 'sso-session') continue;
    sessionNames.add(section.name);
    const report = reporter(filePath, section, problems);
    const session = readSession(section, report);
    if (session !== undefined) ssoSessions.set(session.name, session);
  }
  const profiles = new Map<string, LatchkeyProfileConfig>();
  for (const section of sections) {
    if (section.kind !== 'profile') continue;
    const report = reporter(filePath, section, problems);
    const profile = readProfile(section, report, (name) => sessionState(name, ssoSessions, sessionNames));
    if (profile !== undefined) profiles.set(profile.name, profile);
  }
  return { filePath, ssoSessions, profiles, problems, dialectWarnings: findDialectWarnings(text, filePath) };
}

/** The profile and its session, or an AwsConfigError naming everything in the way. */
export function requireProfile(
  config: AwsConfig,
  profileName: string,
): { profile: LatchkeyProfileConfig; session: SsoSessionConfig } {
  const profile = config.profiles.get(profileName);
  const session = profile === undefined ? undefined : config.ssoSessions.get(profile.session);
  if (profile !== undefined && session !== undefined) return { profile, session };
  const own = config.problems.filter((p) => p.kind === 'profile' && p.name === profileName);
  const warnings = dialectWarningsFor(config, profileName, profile?.session);
  if (own.length > 0) throw new AwsConfigError(own, warnings);
  throw new AwsConfigError([
    {
      filePath: config.filePath,
      kind: 'profile',
      name: profileName,
      section: `[profile ${profileName}]`,
      message: missingProfileMessage(awsConfigNames(config), profileName),
    },
  ], warnings);
}

/** The names a "did you mean" and a list of sessions choose from: usable sections and those with problems alike. */
export function awsConfigNames(config: AwsConfig): AwsConfigNames {
  const namesOf = (kind: AwsConfigProblem['kind'], valid: Iterable<string>): string[] => [
    ...new Set([...valid, ...config.problems.filter((p) => p.kind === kind).map((p) => p.name)]),
  ];
  return {
    filePath: config.filePath,
    fileMissing: config.fileMissing === true,
    sessionNames: namesOf('sso-session', config.ssoSessions.keys()),
    profileNames: namesOf('profile', config.profiles.keys()),
  };
}

/**
 * The dialect warnings that may explain why a profile cannot be served: those of the
 * whole file, of the profile's own lines and of its session's, or of any section of that
 * name (a profile the JS SDK and the AWS CLI see under different headers).
 */
function dialectWarningsFor(config: AwsConfig, profileName: string, sessionName: string | undefined): string[] {
  return config.dialectWarnings
    .filter(({ section }) => section === undefined || section.name === profileName || (section.kind === 'sso-session' && section.name === sessionName))
    .map((warning) => warning.message);
}

type Report = (message: string) => void;

function reporter(filePath: string, section: AwsConfigSection, problems: AwsConfigProblem[]): Report {
  return (message) =>
    problems.push({
      filePath,
      kind: section.kind,
      name: section.name,
      section: section.header,
      // The values quoted in it are the file's text: a continuation line puts a line break
      // in one, and a control character would reach the terminal or the log as it is.
      message: printable(`${filePath}: ${section.header} ${message}`),
    });
}

function readSession(section: AwsConfigSection, report: Report): SsoSessionConfig | undefined {
  const v = section.values;
  let ok = true;
  const startUrl = nonEmpty(v['sso_start_url']);
  const region = nonEmpty(v['sso_region']);
  if (startUrl === undefined) {
    ok = false;
    report('has no sso_start_url; add your AWS access portal URL, e.g. "sso_start_url = https://my-org.awsapps.com/start".');
  } else if (!isHttpsUrl(startUrl)) {
    ok = false;
    report(`has sso_start_url "${startUrl}", which is not an https URL; use the https:// address of your AWS access portal.`);
  }
  if (region === undefined) {
    ok = false;
    report('has no sso_region; add the region of your IAM Identity Center, e.g. "sso_region = us-east-1".');
  } else if (!isRegionCode(region)) {
    ok = false;
    report(`has sso_region "${region}", which is not an AWS region code; use one such as us-east-1.`);
  }
  const sync = readBoolean(v['latchkey_sync_aws_cache']);
  if (sync === 'invalid') {
    ok = false;
    report(`sets latchkey_sync_aws_cache to "${v['latchkey_sync_aws_cache'] ?? ''}"; write true or false.`);
  }
  if (!ok || startUrl === undefined || region === undefined) return undefined;
  return {
    name: section.name,
    startUrl,
    region,
    registrationScopes: parseScopes(v['sso_registration_scopes']),
    syncAwsCache: sync === true,
  };
}

/**
 * As the AWS CLI reads `sso_registration_scopes` (parse_sso_registration_scopes): split
 * on commas, trim, drop empties. An empty list falls back to the default, because a
 * client registered without scopes gets no refresh token.
 */
function parseScopes(raw: string | undefined): string[] {
  const scopes = (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  return scopes.length > 0 ? scopes : [...DEFAULT_REGISTRATION_SCOPES];
}

type SessionState = 'ok' | 'unknown' | 'invalid';

function sessionState(name: string, valid: ReadonlyMap<string, unknown>, declared: ReadonlySet<string>): SessionState {
  if (valid.has(name)) return 'ok';
  return declared.has(name) ? 'invalid' : 'unknown';
}

/** A profile is Latchkey's when it names an account or role; `sso_session` alone is a token-only AWS CLI profile. */
const TARGET_KEYS = ['latchkey_session', 'latchkey_account_id', 'latchkey_role_name', 'sso_account_id', 'sso_role_name'];

function readProfile(
  section: AwsConfigSection,
  report: Report,
  sessionStateOf: (name: string) => SessionState,
): LatchkeyProfileConfig | undefined {
  const v = section.values;
  if (!TARGET_KEYS.some((key) => present(v, key))) return undefined;
  let problemCount = 0;
  function counted(message: string): void {
    problemCount += 1;
    report(message);
  }
  const session = pick(v, 'latchkey_session', 'sso_session', counted);
  const accountId = pick(v, 'latchkey_account_id', 'sso_account_id', counted);
  const roleName = pick(v, 'latchkey_role_name', 'sso_role_name', counted);
  const region = nonEmpty(v['region']);
  const usesCredentialProcess = present(v, 'credential_process');

  if (session !== null) checkSession(v, session, sessionStateOf, counted);
  if (accountId === undefined) {
    counted('names no account; add "latchkey_account_id = 123456789012" (or sso_account_id).');
  } else if (accountId !== null && !isAccountId(accountId)) {
    counted(`has account id "${accountId}", which is not 12 digits; use the 12-digit AWS account id.`);
  }
  if (roleName === undefined) counted('names no role; add "latchkey_role_name = ROLE" (or sso_role_name).');
  if (region !== undefined && !isRegionCode(region)) {
    counted(`has region "${region}", which is not an AWS region code; use one such as us-east-1.`);
  }
  // botocore's SSO provider comes before credential_process in its chain and takes
  // over any profile with sso_account_id or sso_role_name, so Latchkey would never run.
  const ssoTargetKeys = ['sso_account_id', 'sso_role_name'].filter((key) => present(v, key));
  if (usesCredentialProcess && ssoTargetKeys.length > 0) {
    counted(
      `sets credential_process together with ${ssoTargetKeys.join(' and ')}, so the AWS CLI would use its own SSO ` +
        'sign-in instead of Latchkey; rename them to latchkey_account_id and latchkey_role_name.',
    );
  }
  if (problemCount > 0 || !session || !accountId || !roleName) return undefined;
  return {
    name: section.name,
    session,
    accountId,
    roleName,
    ...(region === undefined ? {} : { region }),
    usesCredentialProcess,
  };
}

function checkSession(
  v: Readonly<Record<string, string>>,
  session: string | undefined,
  sessionStateOf: (name: string) => SessionState,
  report: Report,
): void {
  const inlineKeys = ['sso_start_url', 'sso_region'].filter((key) => present(v, key));
  if (session === undefined) {
    report(
      inlineKeys.length > 0
        ? 'uses the legacy form with sso_start_url in the profile; move sso_start_url and sso_region into an ' +
            '[sso-session NAME] section and put "sso_session = NAME" in the profile (aws configure sso writes this form).'
        : 'names no session; add "sso_session = NAME" (or latchkey_session) naming an [sso-session NAME] section.',
    );
    return;
  }
  const state = sessionStateOf(session);
  if (state === 'unknown') {
    report(`names sso-session "${session}", but there is no [sso-session ${session}] section; add it or correct the name.`);
  } else if (state === 'invalid') {
    report(`uses [sso-session ${session}], which cannot be used until its own problems are fixed.`);
  }
  if (inlineKeys.length > 0) {
    report(
      `sets ${inlineKeys.join(' and ')} as well as a session, which the AWS CLI rejects; remove them from the ` +
        "profile (the session's own section holds them).",
    );
  }
}

/**
 * The latchkey_ key or the standard one; both may be set only to the same value.
 * `null` means they conflict and that has been reported, so callers skip further checks.
 */
function pick(
  values: Readonly<Record<string, string>>,
  ours: string,
  standard: string,
  report: Report,
): string | undefined | null {
  const a = nonEmpty(values[ours]);
  const b = nonEmpty(values[standard]);
  if (a !== undefined && b !== undefined && a !== b) {
    report(`sets ${ours} = ${a} and ${standard} = ${b}; keep one of them, or make them equal.`);
    return null;
  }
  return a ?? b;
}

function present(values: Readonly<Record<string, string>>, key: string): boolean {
  return nonEmpty(values[key]) !== undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function readBoolean(value: string | undefined): boolean | 'invalid' {
  const text = nonEmpty(value)?.toLowerCase();
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  return 'invalid';
}

function isHttpsUrl(text: string): boolean {
  // The URL parser would quietly encode a space, so a comment left after the URL
  // (botocore keeps it in the value) would become part of the address.
  if (/\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}
