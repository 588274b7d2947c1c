import { RETIRED_HEADING, readBlockEntries, regionKey, retiredLine, retiredNamesIn, type PreviousBlock } from './aws-config-profile-block-entries';
import { pyStrip } from './aws-config-ini-lines';
import { readAwsConfigSections } from './aws-config-sections';
import { ACCOUNT_ID_RULE, ROLE_NAME_RULE, isAccountId, isRegionCode, isRoleName } from './aws-identifiers';
import { commandWordProblem, credentialProcessCommand, type CommandDialect } from './credential-process-command';
import { LatchkeyError } from './errors';
import { isPrintable } from './printable-text';
import { NO_PREVIOUS_PROFILES, planProfiles, type BlockAccount, type ManagedProfile, type PlannedProfile } from './profile-names';

/**
 * The block of profiles `latchkey setup-profiles` owns in the AWS config. Everything
 * outside the block is the user's and is kept byte for byte; the block itself is
 * rewritten whole, so running the command again with the same accounts changes nothing.
 * The names come from the block as it was (profile-names.ts), so a rerun never moves a
 * name to another account or role.
 * Profiles name their role with the latchkey_ keys, never sso_account_id/sso_role_name:
 * with those the AWS CLI would use its own SSO sign-in instead of credential_process
 * (docs/contract.md section 3).
 */
export interface ProfileBlockInput {
  session: string;
  accounts: readonly BlockAccount[];
  /** The command that runs Latchkey, absolute, one word per element: `['/usr/bin/node', '/opt/latchkey.mjs']`. */
  latchkeyCommand: readonly string[];
  /** How the AWS clients of this platform split the credential_process line. */
  dialect: CommandDialect;
  /** `--region`: the region for the block's profiles, in place of the one it was written with. */
  region?: string;
  /** The session's `sso_region`: the region when neither `--region` nor the block names one. */
  ssoRegion?: string;
}

/** A planned profile with the region its section gets. */
export interface BlockProfile extends PlannedProfile {
  region?: string;
}

export interface ProfileBlockUpdate {
  text: string;
  profiles: BlockProfile[];
  /** The region of every profile whose region was not edited by hand. */
  region?: string;
  /** Profiles the block had whose role is no longer assigned; their names stay reserved. */
  removed: ManagedProfile[];
  changed: boolean;
}

export function beginMarker(session: string): string {
  return `# BEGIN latchkey managed profiles (session ${session})`;
}

export function endMarker(session: string): string {
  return `# END latchkey managed profiles (session ${session})`;
}

/** Returns the config text with this session's block written in place (or appended). */
export function updateProfileBlock(text: string, input: ProfileBlockInput): ProfileBlockUpdate {
  refuseUnsafeValues(input);
  // CRLF too when a lone CR ends the text: a LF after it would make the file CRLF, and the next run rewrite the block.
  const eol = /\r\n|\r$/.test(text) ? '\r\n' : '\n';
  const span = findBlock(text, input.session);
  const outside = span === undefined ? text : text.slice(0, span.start) + text.slice(span.end);
  const previous: PreviousBlock =
    span === undefined ? { ...NO_PREVIOUS_PROFILES, regions: new Map() } : readBlockEntries(text.slice(span.start, span.end), input.session);
  const plan = planProfiles(input.accounts, profileNamesIn(outside), previous);
  // A --region given once stays the block's region on later runs, until another is given.
  const region = input.region ?? previous.defaultRegion ?? input.ssoRegion;
  const profiles = plan.profiles.map((p) => withRegion(p, regionOf(p, previous, region)));
  const block = renderBlock(input, region, profiles, plan.retired).map((line) => line + eol).join('');
  let next: string;
  if (span !== undefined) {
    next = text.slice(0, span.start) + block + text.slice(span.end);
  } else if (text === '') {
    next = block;
  } else {
    // Appending: end the user's last line if it has no line end (a lone CR is one, as in
    // Python's universal newlines), and leave one blank line.
    const ended = /[\r\n]$/.test(text) ? text : text + eol;
    const separator = /(^|\r?\n)\r?\n$/.test(ended) ? '' : eol;
    next = ended + separator + block;
  }
  return { text: next, profiles, ...(region === undefined ? {} : { region }), removed: plan.removed, changed: next !== text };
}

/** One role to add to a session's block, as the window's "Add a profile" asks. */
export interface AddProfileInput extends Omit<ProfileBlockInput, 'accounts' | 'region'> {
  account: { accountId: string; accountName: string };
  roleName: string;
}

/**
 * The config text with one more role in `session`'s block: every profile the block has
 * stays as it is (a role is never dropped because the caller did not list it), and the
 * new one is named as setup-profiles would name it. `profile` is the role's profile,
 * `kept` when the block already had it.
 */
export function addProfileToBlock(text: string, input: AddProfileInput): ProfileBlockUpdate & { profile: BlockProfile } {
  // Before findBlock, whose message names the session: a hostile name must not reach it.
  refuseUnsafeValues({ ...input, accounts: [{ ...input.account, roles: [input.roleName] }] });
  const span = findBlock(text, input.session);
  const previous = span === undefined ? [] : readBlockEntries(text.slice(span.start, span.end), input.session).profiles;
  const roles = new Map<string, Set<string>>();
  for (const entry of [...previous, { accountId: input.account.accountId, roleName: input.roleName }]) {
    roles.set(entry.accountId, (roles.get(entry.accountId) ?? new Set()).add(entry.roleName));
  }
  // Only a role with no name yet is named from its account's name: the others keep theirs.
  const accounts = [...roles].map(([accountId, names]) => ({
    accountId,
    accountName: accountId === input.account.accountId ? input.account.accountName : accountId,
    roles: [...names],
  }));
  const update = updateProfileBlock(text, { ...input, accounts });
  const profile = update.profiles.find((p) => p.accountId === input.account.accountId && p.roleName === input.roleName);
  if (profile === undefined) throw new Error('The planned block lost the profile it was asked to add.');
  return { ...update, profile };
}

/**
 * A region in the block that differs from the one the block was written with was set by
 * hand, and is kept; any other follows the block's region. The region goes with the role,
 * so it follows a profile that had to take a new name.
 */
function regionOf(profile: PlannedProfile, previous: PreviousBlock, region: string | undefined): string | undefined {
  const before = previous.regions.get(regionKey(profile));
  return before !== undefined && before !== previous.defaultRegion ? before : region;
}

function withRegion(profile: PlannedProfile, region: string | undefined): BlockProfile {
  return region === undefined ? profile : { ...profile, region };
}

/**
 * Every value goes into a line of a file the AWS SDKs run commands from: a line break in
 * one would start a section of its own, with a credential_process of its choosing. The
 * AWS client checks the portal's answers already; this is the last check before the file.
 * Profile names need none: `profileName` keeps only letters, digits, `.`, `_` and `-`, and
 * a name read back from the block is used only if it is such a name.
 * Messages never repeat the value, which may be built to mislead.
 */
function refuseUnsafeValues(input: ProfileBlockInput): void {
  if (!isPrintable(input.session)) throw unsafe('the session name has a line break or another control character');
  // The reader strips a value, so such a name would come back as another session's, or none.
  if (input.session === '' || pyStrip(input.session) !== input.session) throw unsafe('the session name is empty or starts or ends with a space');
  for (const region of [input.region, input.ssoRegion]) {
    if (region !== undefined && !isRegionCode(region)) throw unsafe('the region is not an AWS region code such as us-east-1');
  }
  for (const word of input.latchkeyCommand) {
    const problem = commandWordProblem(word, input.dialect);
    if (problem !== undefined) throw unsafe(`the Latchkey command (the path Latchkey runs from) has ${problem}`);
  }
  for (const account of input.accounts) {
    if (!isAccountId(account.accountId)) throw unsafe(`an account id is not ${ACCOUNT_ID_RULE}`);
    if (!account.roles.every(isRoleName)) {
      throw unsafe(`a role name of account ${account.accountId} is not an IAM role name (${ROLE_NAME_RULE})`);
    }
  }
}

function unsafe(problem: string): LatchkeyError {
  return new LatchkeyError('config_error', `Latchkey did not write the AWS config: ${problem}.`);
}

function renderBlock(
  input: ProfileBlockInput,
  region: string | undefined,
  profiles: readonly BlockProfile[],
  retired: readonly ManagedProfile[],
): string[] {
  // The header names the region, and readBlockEntries reads it back from there.
  const command = `latchkey setup-profiles --session ${input.session}${region === undefined ? '' : ` --region ${region}`}`;
  const lines = [
    beginMarker(input.session),
    `# Written by "${command}"; run it again to update. Profile names and regions edited here are kept; other edits inside this block are replaced.`,
  ];
  profiles.forEach((p, i) => {
    if (i > 0) lines.push('');
    lines.push(`[profile ${p.name}]`);
    if (p.region !== undefined) lines.push(`region = ${p.region}`);
    lines.push(
      `credential_process = ${credentialProcessCommand([...input.latchkeyCommand, 'credential-process', '--profile', p.name], input.dialect)}`,
      `latchkey_session = ${input.session}`,
      `latchkey_account_id = ${p.accountId}`,
      `latchkey_role_name = ${p.roleName}`,
    );
  });
  if (retired.length > 0) {
    if (profiles.length > 0) lines.push('');
    lines.push(RETIRED_HEADING, ...retired.map(retiredLine));
  }
  lines.push(endMarker(input.session));
  return lines;
}

/** The block's span in `text`: from the start of the BEGIN line to after the END line's newline. */
function findBlock(text: string, session: string): { start: number; end: number } | undefined {
  const begin = lineMatching(text, beginMarker(session), 0);
  if (begin === undefined) return undefined;
  const end = lineMatching(text, endMarker(session), begin.end);
  if (end === undefined) {
    throw new LatchkeyError(
      'config_error',
      `The AWS config has "${beginMarker(session)}" without its END line; restore the END line or delete the block, then run this again.`,
    );
  }
  return { start: begin.start, end: end.end };
}

function lineMatching(text: string, line: string, from: number): { start: number; end: number } | undefined {
  const pattern = new RegExp(`^${escapeRegExp(line)}[ \\t]*(\\r?\\n|$)`, 'gm');
  pattern.lastIndex = from;
  const match = pattern.exec(text);
  return match === null ? undefined : { start: match.index, end: match.index + match[0].length };
}

/**
 * Profile names already defined outside the block, which the block must not redefine,
 * and the names another session's block keeps for its retired roles.
 */
export function profileNamesIn(text: string): Set<string> {
  const names = new Set<string>(retiredNamesIn(text));
  // The names the AWS CLI reads, however spelt (after a byte-order mark, `[profile "Dev"-R]`);
  // the pattern below also keeps spellings botocore reads as no profile (`[ profile x ]`), which other clients may.
  for (const section of readAwsConfigSections(text)) if (section.kind === 'profile') names.add(section.name);
  for (const match of text.matchAll(/^[ \t]*\[[ \t]*(?:profile[ \t]+["']?([^\s"'\]]+)["']?|(default))[ \t]*\]/gm)) {
    const name = match[1] ?? match[2];
    if (name !== undefined) names.add(name);
  }
  return names;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
