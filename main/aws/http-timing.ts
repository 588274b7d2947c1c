/**
 * Time windows of the HTTP layer. Each is a named constant so that a reviewer can see
 * the budget a sign-in or a credential fetch may spend on the network, and why.
 */

/**
 * One attempt's whole budget (connect, send, wait, read). IAM Identity Center answers
 * in well under a second; ten seconds covers a slow proxy or a captive network without
 * letting a dead connection hold `credential_process`, which the AWS CLI runs per command.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * All attempts of one call, backoff sleeps included. Past this the caller gets the last
 * error: a CLI user waiting on credentials should hear "the network is down" within half
 * a minute rather than watch retries pile up.
 */
export const RETRY_DEADLINE_MS = 30_000;

/** At most this many attempts per call: enough to ride out a throttling burst. */
export const MAX_ATTEMPTS = 5;

/**
 * Full-jitter backoff (delay = random × min(cap, base × 2^retry)). The base keeps the
 * first retry quick; the jitter spreads many agents hitting the same 429 apart.
 */
export const RETRY_BASE_DELAY_MS = 250;

/** Cap on one backoff sleep, so the total deadline allows several attempts. */
export const RETRY_MAX_DELAY_MS = 8_000;
