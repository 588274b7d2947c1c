import { printable } from './printable-text';

/**
 * AWS's own rules for the identifiers Latchkey passes around and writes into the AWS
 * config. One definition, so the AWS client, the agent and the CLI all refuse the same
 * strings: an id or a role name that breaks these rules is a hostile or broken answer,
 * and a line break in one would let it write a section of its own into the config.
 */

/** Exactly 12 ASCII digits (`\d` in a JS pattern matches no other script's digits). */
const ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** IAM CreateRole: 1 to 64 of letters, digits and `+=,.@_-` (permission set names are a subset). */
const ROLE_NAME_PATTERN = /^[A-Za-z0-9+=,.@_-]{1,64}$/;

/** Region codes: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`, `eusc-de-east-1`. */
const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/** The rules in words, for messages. */
export const ACCOUNT_ID_RULE = '12 digits';
export const ROLE_NAME_RULE = '1 to 64 letters, digits or any of +=,.@_-';

export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID_PATTERN.test(value);
}

export function isRoleName(value: unknown): value is string {
  return typeof value === 'string' && ROLE_NAME_PATTERN.test(value);
}

export function isRegionCode(value: unknown): value is string {
  return typeof value === 'string' && REGION_PATTERN.test(value);
}

/** Longer than any AWS account name (50) or email address (64), short enough for a terminal line. */
const MAX_ACCOUNT_TEXT_CHARS = 256;

/**
 * Account names and email addresses are only shown, never written into the config or
 * sent back: one odd name is cleaned and shortened rather than failing a whole listing.
 */
export function accountDisplayText(text: string): string {
  return printable(text, MAX_ACCOUNT_TEXT_CHARS);
}
