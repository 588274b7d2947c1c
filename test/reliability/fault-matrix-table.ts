import type { RowName } from './fault-matrix-actions';
import { FAULT_KINDS, type After, type FaultKind } from './fault-matrix-cell';
import type { FaultGrant, FaultedOperation } from './fault-matrix-world';

/** What one cell must show: the agent's answer, how many calls AWS saw, and what follows. */
export interface CellExpectation {
  answer: string;
  /** Calls of the operation while the fault was on, fewest and most (they differ where polls or parallel listings race the clock). */
  attempts: readonly [number, number];
  after: After;
}

export interface MatrixRow {
  name: RowName;
  operation: FaultedOperation;
  grantType?: FaultGrant;
  /** How the agent is brought to call it, for the table. */
  through: string;
  /** Keychain changes every cell of the row shows (docs: what a failure leaves behind). */
  keychain: readonly string[];
  cells: Partial<Record<FaultKind, CellExpectation>>;
  /** Kinds that cannot happen to the operation, with why. */
  notApplicable?: Partial<Record<FaultKind, string>>;
}

const once = [1, 1] as const;
const fiveTries = [5, 5] as const;

function cell(answer: string, attempts: readonly [number, number], after: After): CellExpectation {
  return { answer, attempts, after };
}

/**
 * A repeatable call (a registration, a device authorization, a read): transient failures
 * tried 5 times; an answer that arrived whole but wrong, once. `after`: what the next try brings.
 */
function repeatable(after: After): MatrixRow['cells'] {
  return {
    '500': cell('502 server_error', fiveTries, after),
    '503': cell('502 server_error', fiveTries, after),
    '429': cell('429 throttled', fiveTries, after),
    delay: cell('504 timeout', fiveTries, after),
    reset: cell('502 network_error', fiveTries, after),
    malformed: cell('502 malformed_response', once, after),
    truncated: cell('502 malformed_response', fiveTries, after),
    'missing-field': cell('502 malformed_response', once, after),
    'wrong-type': cell('502 malformed_response', once, after),
  };
}

/** The account listing: a repeatable read, with its own retries on 429 on top of the client's. */
function listingCells(): MatrixRow['cells'] {
  return { ...repeatable('works'), '429': cell('429 throttled', [LISTING_THROTTLED_CALLS, LISTING_THROTTLED_CALLS], 'works') };
}

/** The listing retries 429 six more times on top of the client's 5 (DISCOVERY_THROTTLE_RETRIES). */
const LISTING_THROTTLED_CALLS = 5 * 7;


export const FAULT_MATRIX: readonly MatrixRow[] = [
  { name: 'RegisterClient', operation: 'RegisterClient', through: 'device-code sign-in', keychain: [], cells: repeatable('new sign-in') },
  { name: 'StartDeviceAuthorization', operation: 'StartDeviceAuthorization', through: 'device-code sign-in', keychain: ['+registration:corp'], cells: repeatable('new sign-in') },
  {
    name: 'CreateToken device_code',
    operation: 'CreateToken',
    grantType: 'urn:ietf:params:oauth:grant-type:device_code',
    through: 'device-code sign-in (polls)',
    keychain: ['+registration:corp'],
    // Polls go on through anything the next poll may cure, backing off 2 s, 4 s...; a poll
    // is repeatable, so each is tried 5 times on a transient failure. A delayed poll is
    // still carried out by AWS after the client gave up: the code is spent, its token lost.
    cells: {
      '500': cell('202 signing-in', [5, 20], 'completes'),
      '503': cell('202 signing-in', [5, 20], 'completes'),
      '429': cell('202 signing-in', [5, 20], 'completes'),
      delay: cell('202 signing-in', [5, 10], 'fails: 502 invalid_grant'),
      reset: cell('202 signing-in', [5, 20], 'completes'),
      malformed: cell('202 signing-in', [1, 4], 'completes'),
      truncated: cell('202 signing-in', [5, 20], 'completes'),
      'missing-field': cell('502 invalid_grant', [2, 2], 'new sign-in'),
      'wrong-type': cell('502 invalid_grant', [2, 2], 'new sign-in'),
    },
  },
  {
    name: 'CreateToken authorization_code',
    operation: 'CreateToken',
    grantType: 'authorization_code',
    through: 'PKCE sign-in',
    keychain: ['+registration:corp'],
    cells: {
      '500': cell('502 server_error', fiveTries, 'new sign-in'),
      '503': cell('502 server_error', fiveTries, 'new sign-in'),
      '429': cell('429 throttled', fiveTries, 'new sign-in'),
      delay: cell('504 timeout', once, 'new sign-in'),
      reset: cell('502 network_error', once, 'new sign-in'),
      malformed: cell('502 malformed_response', once, 'new sign-in'),
      truncated: cell('502 malformed_response', once, 'new sign-in'),
      'missing-field': cell('502 malformed_response', once, 'new sign-in'),
      'wrong-type': cell('502 malformed_response', once, 'new sign-in'),
    },
  },
  {
    name: 'CreateToken refresh_token',
    operation: 'CreateToken',
    grantType: 'refresh_token',
    through: '`GET /v1/sessions/corp/token` 15 min before expiry',
    keychain: [],
    // The still-valid token is served at once and refreshed behind the answer, once: the
    // background refresher, woken by the clock move, shares that refresh, and after a
    // failure nobody tries again for a minute (a failed refresh may have spent the refresh
    // token). Where AWS spent it and its answer was lost (delay) or unusable, the session
    // ends when the access token expires.
    cells: {
      '500': cell('200', fiveTries, 'works'),
      '503': cell('200', fiveTries, 'works'),
      '429': cell('200', fiveTries, 'works'),
      delay: cell('200', once, 'signed out'),
      reset: cell('200', once, 'works'),
      malformed: cell('200', once, 'works'),
      truncated: cell('200', once, 'works'),
      'missing-field': cell('200', once, 'signed out'),
      'wrong-type': cell('200', once, 'signed out'),
    },
  },
  {
    name: 'ListAccounts',
    operation: 'ListAccounts',
    through: '`GET /v1/sessions/corp/accounts?refresh=1`',
    keychain: [],
    cells: listingCells(),
  },
  {
    name: 'ListAccountRoles',
    operation: 'ListAccountRoles',
    through: '`GET /v1/sessions/corp/accounts?refresh=1`',
    keychain: [],
    // The listing rows run on a directory of one account (fault-matrix-actions.ts): one role listing.
    cells: listingCells(),
  },
  { name: 'GetRoleCredentials', operation: 'GetRoleCredentials', through: '`GET /v1/credentials?profile=dev`', keychain: [], cells: repeatable('works') },
  {
    name: 'Logout',
    operation: 'Logout',
    through: '`POST /v1/sessions/corp/sign-out`',
    keychain: ['-registration:corp', '-token:corp'],
    // The records go whatever AWS answers (session-tokens.ts signOut); when AWS could not
    // be told, the answer names the session and until when its token stays valid there.
    // A 200 whose body is not JSON is still AWS's yes: Logout's answer has no body to read.
    cells: {
      '500': cell('200 signed-out', fiveTries, 'signed out'),
      '503': cell('200 signed-out', fiveTries, 'signed out'),
      '429': cell('200 signed-out', fiveTries, 'signed out'),
      delay: cell('200 signed-out', fiveTries, 'signed out'),
      reset: cell('200 signed-out', fiveTries, 'signed out'),
      malformed: cell('204', once, 'signed out'),
      truncated: cell('200 signed-out', fiveTries, 'signed out'),
    },
    notApplicable: {
      'missing-field': 'Logout answers an empty 200: no field to drop',
      'wrong-type': 'Logout answers an empty 200: no field to retype',
    },
  },
  {
    name: 'GetSigninToken',
    operation: 'GetSigninToken',
    through: '`POST /v1/console` with `"open": false`',
    keychain: ['+role:corp:111111111111:Developer'],
    cells: repeatable('works'),
  },
];

/** ConsoleLogin is the browser's request, never Latchkey's: no fault there reaches the agent. */
export const CONSOLE_LOGIN_NOTE =
  'ConsoleLogin (`GET /federation?Action=login`) is followed by the browser, never by Latchkey: a fault there is the browser\'s page, with the agent untouched.';

const KIND_TITLES: Record<FaultKind, string> = {
  '500': 'HTTP 500',
  '503': 'HTTP 503',
  '429': 'HTTP 429',
  delay: 'delay past timeout',
  reset: 'reset',
  malformed: 'malformed JSON',
  truncated: 'truncated body',
  'missing-field': 'missing field',
  'wrong-type': 'wrong type',
};

function attemptsText([min, max]: readonly [number, number]): string {
  return min === max ? `×${min}` : `×${min}–${max}`;
}

function cellText(expectation: CellExpectation): string {
  return `${expectation.answer} ${attemptsText(expectation.attempts)}, ${expectation.after}`;
}

/** The table docs/reliability.md shows, rendered from the rows the suite runs. */
export function renderFaultMatrix(): string {
  const header = `| operation (reached through) | ${FAULT_KINDS.map((kind) => KIND_TITLES[kind]).join(' | ')} |`;
  const rule = `| --- | ${FAULT_KINDS.map(() => '---').join(' | ')} |`;
  const rows = FAULT_MATRIX.map((row) => {
    const cells = FAULT_KINDS.map((kind) => {
      const expectation = row.cells[kind];
      return expectation === undefined ? `n/a: ${row.notApplicable?.[kind] ?? ''}` : cellText(expectation);
    });
    return `| ${row.name} (${row.through}) | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}

export function matrixCellCount(): number {
  return FAULT_MATRIX.reduce((count, row) => count + Object.keys(row.cells).length, 0);
}
