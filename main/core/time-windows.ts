/**
 * Every time window Latchkey acts on, named, with the reason it has the size it has.
 * Append new windows here rather than writing bare durations in logic.
 */

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

/** RFC 8628 section 3.2: a device authorization without `interval` means 5 seconds. */
export const DEFAULT_POLL_INTERVAL_MS = 5 * SECOND_MS;

/** RFC 8628 section 3.5: every `slow_down` adds 5 seconds to the polling interval for good. */
export const SLOW_DOWN_STEP_MS = 5 * SECOND_MS;

/**
 * Role credentials handed out keep at least this long: botocore refreshes credentials
 * inside 15 minutes of expiry (its advisory window), so anything shorter would make the
 * AWS CLI ask again at once.
 */
export const CREDENTIALS_MIN_TTL_MS = 15 * MINUTE_MS;

/**
 * Refresh an access token this long before it expires. The AWS SDKs treat an SSO token
 * inside 5 minutes of expiry as expired and refresh it themselves; renewing at 10
 * minutes stays well inside the last 15 and never later than the SDKs would.
 */
export const REFRESH_BEFORE_EXPIRY_MS = 10 * MINUTE_MS;

/** Stop using a client registration this long before its secret expires, so a flow never starts on a dying one. */
export const REGISTRATION_RENEW_BEFORE_EXPIRY_MS = 15 * MINUTE_MS;

/**
 * Longest wait between retries when AWS cannot be reached during a sign-in: long enough
 * not to hammer a broken network, short enough that the prompt recovers soon after.
 */
export const NETWORK_RETRY_MAX_MS = 30 * SECOND_MS;
