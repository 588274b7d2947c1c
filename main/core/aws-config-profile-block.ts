import { ACCOUNT_ID_RULE, ROLE_NAME_RULE, isAccountId, isRoleName } from './aws-identifiers';
import { LatchkeyError } from './errors';
import { isPrintable } from './printable-text';

/**
 * The block of profiles `latchkey setup-profiles` owns in the AWS config. Everything
 * outside the block is the user's and is kept byte for byte; the block itself is
 * rewritten whole, so running the command again with the same accounts changes nothing.
 * Profiles name their role with the latchkey_ keys, never sso_account_id/sso_role_name:
 * with those the AWS CLI would use its own SSO sign-in instead of credential_process
 * (SPEC.md section 3).
 */
export interface BlockAccount {
  accountId: string;
  accountName: string;
  roles: readonly string[];
}

export interface ManagedProfile {
  name: string;
  accountId: string;
  roleName: string;
}

export interface ProfileBlockInput {
  session: string;
  accounts: readonly BlockAccount[];
  /** The command that runs Latchkey, absolute, already quoted for a shell: `/usr/bin/node /opt/latchkey.mjs`. */
  latchkeyCommand: string;
}

export interface ProfileBlockUpdate {
  text: string;
  profiles: ManagedProfile[];
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
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const span = findBlock(text, input.session);
  const outside = span === undefined ? text : text.slice(0, span.start) + text.slice(span.end);
  const profiles = planProfiles(input.accounts, profileNamesIn(outside));
  const block = renderBlock(input, profiles).map((line) => line + eol).join('');
  let next: string;
  if (span !== undefined) {
    next = text.slice(0, span.start) + block + text.slice(span.end);
  } else if (text === '') {
    next = block;
  } else {
    // Appending: end the user's last line if it has no newline, and leave one blank line.
    const ended = /\r?\n$/.test(text) ? text : text + eol;
    const separator = /(^|\r?\n)\r?\n$/.test(ended) ? '' : eol;
    next = ended + separator + block;
  }
  return { text: next, profiles, changed: next !== text };
}

/** One profile per account and role, sorted so the block is the same whatever order the portal lists them in. */
export function planProfiles(accounts: readonly BlockAccount[], taken: ReadonlySet<string>): ManagedProfile[] {
  const used = new Set(taken);
  const sorted = [...accounts].sort((a, b) => compare(a.accountName, b.accountName) || compare(a.accountId, b.accountId));
  const profiles: ManagedProfile[] = [];
  for (const account of sorted) {
    for (const roleName of [...account.roles].sort(compare)) {
      const base = profileName(account, roleName);
      let name = base;
      if (used.has(name)) name = `${base}-${account.accountId}`;
      for (let n = 2; used.has(name); n += 1) name = `${base}-${account.accountId}-${n}`;
      used.add(name);
      profiles.push({ name, accountId: account.accountId, roleName });
    }
  }
  return profiles;
}

/**
 * `Development-Developer`: letters, digits, `.`, `_` and `-` only, so the name needs no
 * quoting in a section header, in credential_process, or in `--profile` on a shell.
 */
export function profileName(account: BlockAccount, roleName: string): string {
  const clean = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  const accountPart = clean(account.accountName) || account.accountId;
  const rolePart = clean(roleName) || 'role';
  return `${accountPart}-${rolePart}`;
}

/**
 * Every value goes into a line of a file the AWS SDKs run commands from: a line break in
 * one would start a section of its own, with a credential_process of its choosing. The
 * AWS client checks the portal's answers already; this is the last check before the file.
 * Profile names need none: `profileName` keeps only letters, digits, `.`, `_` and `-`.
 * Messages never repeat the value, which may be built to mislead.
 */
function refuseUnsafeValues(input: ProfileBlockInput): void {
  if (!isPrintable(input.session)) throw unsafe('the session name has a line break or another control character');
  if (!isPrintable(input.latchkeyCommand)) {
    throw unsafe('the Latchkey command (the path Latchkey runs from) has a line break or another control character');
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

function renderBlock(input: ProfileBlockInput, profiles: readonly ManagedProfile[]): string[] {
  const lines = [
    beginMarker(input.session),
    `# Written by "latchkey setup-profiles --session ${input.session}"; run it again to update. Edits inside this block are replaced.`,
  ];
  profiles.forEach((p, i) => {
    if (i > 0) lines.push('');
    lines.push(
      `[profile ${p.name}]`,
      `credential_process = ${input.latchkeyCommand} credential-process --profile ${p.name}`,
      `latchkey_session = ${input.session}`,
      `latchkey_account_id = ${p.accountId}`,
      `latchkey_role_name = ${p.roleName}`,
    );
  });
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

/** Profile names already defined outside the block, which the block must not redefine. */
export function profileNamesIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^[ \t]*\[[ \t]*(?:profile[ \t]+["']?([^\s"'\]]+)["']?|(default))[ \t]*\]/gm)) {
    const name = match[1] ?? match[2];
    if (name !== undefined) names.add(name);
  }
  return names;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
