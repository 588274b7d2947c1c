import { closestName } from './closest-name';

/**
 * The sentences for a profile or session the AWS config does not have: each names the
 * file, the closest name it does have, and a fix that works as written. Plain data in, so
 * both the config model (aws-config.ts) and the agent can use them without a cycle.
 */
export interface AwsConfigNames {
  filePath: string;
  /** No file at filePath: it was read as empty, and the fix is to create it. */
  fileMissing: boolean;
  /** Every [sso-session] section, usable or not, in file order. */
  sessionNames: readonly string[];
  /** Every profile Latchkey would serve or reports problems for, in file order. */
  profileNames: readonly string[];
}

/** At most this many names are listed in one message; a config may hold hundreds. */
const LISTED_NAMES_MAX = 10;

/** The account id and role in the advised section: valid as written, and plainly stand-ins. */
const EXAMPLE_ACCOUNT_ID = '123456789012';
const EXAMPLE_ROLE = 'ROLE';

export function missingProfileMessage(names: AwsConfigNames, profile: string): string {
  if (names.fileMissing) return missingFileMessage(names.filePath);
  const hint = didYouMean(closestName(profile, names.profileNames));
  const [only] = names.sessionNames;
  const session = names.sessionNames.length === 1 && only !== undefined ? only : 'NAME';
  // latchkey_ keys, never sso_account_id/sso_role_name: next to credential_process those
  // make the AWS CLI use its own SSO sign-in, so Latchkey refuses them (aws-config.ts).
  const section =
    `"[profile ${profile}]" with "credential_process = latchkey credential-process --profile ${profile}", ` +
    `"latchkey_session = ${session}", "latchkey_account_id = ${EXAMPLE_ACCOUNT_ID}" and "latchkey_role_name = ${EXAMPLE_ROLE}"`;
  const fix =
    names.sessionNames.length === 0
      ? `add an [sso-session NAME] section with sso_start_url and sso_region first, then run "latchkey setup-profiles --session NAME" or add ${section}`
      : `run "latchkey setup-profiles --session ${session}" to write one profile per role, or add ${section} (your account id and role)` +
        (names.sessionNames.length > 1 ? `, NAME being one of ${listed(names.sessionNames)}` : '');
  return `${names.filePath} has no profile "${profile}" that Latchkey serves${hint}; ${fix}.`;
}

export function missingSessionMessage(names: AwsConfigNames, session: string): string {
  if (names.fileMissing) return missingFileMessage(names.filePath);
  const add = `add an [sso-session ${session}] section with sso_start_url and sso_region`;
  if (names.sessionNames.length === 0) return `${names.filePath} has no [sso-session] section at all; ${add}.`;
  const hint = didYouMean(closestName(session, names.sessionNames));
  const those = names.sessionNames.length === 1 ? 'the one it has is' : 'the ones it has are';
  return `${names.filePath} has no [sso-session ${session}] section${hint}; ${those} ${listed(names.sessionNames)}, or ${add}.`;
}

/** Said instead of "has no profile" when there is no file: the fix is to create it, or to point AWS_CONFIG_FILE at the right one. */
export function missingFileMessage(filePath: string): string {
  return (
    `${filePath} does not exist; create it with an [sso-session NAME] section holding sso_start_url (your AWS access portal URL) ` +
    'and sso_region, then run "latchkey login --session NAME" and "latchkey setup-profiles --session NAME" ' +
    '(or set AWS_CONFIG_FILE to the config you use).'
  );
}

function didYouMean(name: string | undefined): string {
  return name === undefined ? '' : ` (did you mean "${name}"?)`;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_NAMES_MAX).join(', ');
  return names.length > LISTED_NAMES_MAX ? `${shown} and ${names.length - LISTED_NAMES_MAX} more` : shown;
}
