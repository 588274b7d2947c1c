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
 * AWS CLI ask again at once. Credentials the portal issues for less than twice this keep
 * half their life instead (role-credentials.ts), or every call would fetch anew.
 */
export const CREDENTIALS_MIN_TTL_MS = 15 * MINUTE_MS;

/**
 * Refresh an access token this long before it expires: before any SDK sharing the
 * sign-in through the AWS CLI cache would (botocore refreshes inside 15 minutes of
 * expiry, the JS SDK inside 5). While the agent runs, the token they find has more than
 * that left, so they never rotate the refresh token themselves.
 */
export const REFRESH_BEFORE_EXPIRY_MS = 20 * MINUTE_MS;

/**
 * A sign-in registers afresh when the stored registration has less than this left. A
 * session's refresh token belongs to the client it was issued to, and AWS refuses the
 * client's secret once it expires (90 days after registering): a sign-in on a registration
 * near its end would otherwise stop refreshing long before the session's own end (AWS
 * allows sessions of up to 90 days). With 30 days left, sessions of up to 30 days always
 * fit; registering costs one call and no prompt.
 */
export const REGISTRATION_RENEW_BEFORE_EXPIRY_MS = 30 * 24 * 60 * MINUTE_MS;

/**
 * Longest wait between retries when AWS cannot be reached during a sign-in: long enough
 * not to hammer a broken network, short enough that the prompt recovers soon after.
 */
export const NETWORK_RETRY_MAX_MS = 30 * SECOND_MS;

/** First wait after a background refresh fails for a reason a retry can fix; doubles per failure. */
export const REFRESH_RETRY_BASE_MS = 15 * SECOND_MS;

/**
 * Cap on that wait: a token refreshed 10 minutes ahead gets several tries before it
 * expires, and a long outage costs one cheap call every 2 minutes.
 */
export const REFRESH_RETRY_MAX_MS = 2 * MINUTE_MS;

/**
 * Roles used within this window get their credentials renewed in the background before
 * they fall inside CREDENTIALS_MIN_TTL_MS, so the next CLI call finds them warm.
 */
export const RECENT_ROLE_USE_MS = 60 * MINUTE_MS;

/** Renew a recently used role's credentials this long before they drop under the minimum TTL. */
export const CREDENTIALS_PREFETCH_LEAD_MS = 5 * MINUTE_MS;

/** First wait when the portal throttles account discovery (429); doubles per retry. */
export const THROTTLE_BACKOFF_BASE_MS = 1 * SECOND_MS;

/** Cap on that wait; with DISCOVERY_THROTTLE_RETRIES it bounds a throttled listing to about a minute. */
export const THROTTLE_BACKOFF_MAX_MS = 16 * SECOND_MS;

/**
 * Longest wait for one keychain call. On Linux a locked keyring with no desktop to show
 * an unlock prompt blocks forever; a clear error within seconds beats a hung tool.
 */
export const KEYCHAIN_CALL_TIMEOUT_MS = 5 * SECOND_MS;

/**
 * Budget for one request to the loopback listener to arrive in full. The browser sends
 * the redirect in one go; the AWS CLI allows 10 seconds per request too. A connection
 * that trickles bytes is dropped rather than held open for the whole sign-in.
 */
export const PKCE_CALLBACK_REQUEST_TIMEOUT_MS = 10 * SECOND_MS;

/**
 * How long a PKCE sign-in waits for the browser to come back to the loopback listener.
 * The AWS CLI waits 10 minutes (its AuthCodeFetcher's overall timeout), the same as a
 * device code lives: long enough to find a password or pass MFA, short enough that an
 * abandoned tab does not keep a port open all day. The listener holds its port this long
 * even when the callback came earlier: an open tab may still be redirected to it, and a
 * port given back could be bound by another local user (loopback-redirect-listener.ts).
 */
export const PKCE_CALLBACK_TIMEOUT_MS = 10 * MINUTE_MS;

/**
 * KEYCHAIN_CALL_TIMEOUT_MS for the desktop app, where a person sits at the prompt: macOS
 * asks "allow access?" or for the keychain password on first use, and typing takes longer
 * than 5 seconds. Still bounded, so an ignored prompt does not hang the app.
 */
export const KEYCHAIN_INTERACTIVE_CALL_TIMEOUT_MS = 2 * MINUTE_MS;

/**
 * The agent's socket server drops a connection whose request headers have not arrived in
 * full within this time (a slowloris holding one of the few connection slots). Local
 * tools send their headers in one write, so 10 seconds is generous.
 */
export const AGENT_HEADERS_TIMEOUT_MS = 10 * SECOND_MS;

/**
 * Budget for a whole request (headers and a body of at most 64 KiB) to arrive on the
 * agent's socket. Only the request is timed: long-polls answer later on purpose.
 */
export const AGENT_REQUEST_TIMEOUT_MS = 30 * SECOND_MS;

/**
 * An idle keep-alive connection to the agent is closed after this long. The CLI makes one
 * request per run; a client that keeps connections open should not hold slots for ever.
 */
export const AGENT_KEEP_ALIVE_TIMEOUT_MS = 5 * SECOND_MS;

/**
 * On shutdown, requests already being answered get this long to finish before their
 * connections are cut, so a credential_process call in flight still gets its answer.
 */
export const AGENT_SHUTDOWN_GRACE_MS = 2 * SECOND_MS;

/**
 * A comment line on the agent's event stream this often keeps the connection visibly
 * alive, so a follower (the CLI's `login`) can tell a quiet agent from a dead one.
 */
export const EVENT_STREAM_HEARTBEAT_MS = 15 * SECOND_MS;

/**
 * A background tool asking for a signed-out session raises the desktop app's sign-in
 * notification at most once per session in this window (UX.md: Terraform and kubectl
 * ask in bursts, and one reminder is enough).
 */
export const NEEDS_SIGN_IN_NOTICE_INTERVAL_MS = 15 * MINUTE_MS;

/**
 * How long `sign-in/wait` waits when the caller names no limit: a device code lives 10
 * minutes and a PKCE callback is awaited as long, so this covers a whole sign-in.
 */
export const SIGN_IN_WAIT_DEFAULT_MS = 10 * MINUTE_MS;

/**
 * A finished sign-in's failure is remembered this long, so a `sign-in/wait` arriving just
 * after a denial still learns why instead of hearing only "signed out".
 */
export const SIGN_IN_OUTCOME_KEEP_MS = 1 * MINUTE_MS;

/**
 * Probing an existing socket file: a live agent accepts at once, so a connect that takes
 * longer than this means something is there but busy, which counts as live.
 */
export const SOCKET_PROBE_TIMEOUT_MS = 1 * SECOND_MS;

/**
 * A signed-in session that has no refresh token gets one desktop notification when it is
 * this close to its end (UX.md): long enough to finish the task at hand or sign in again
 * before tools start failing, and the same 15 minutes botocore treats as "about to expire".
 */
export const SESSION_ENDING_NOTICE_MS = 15 * MINUTE_MS;

/**
 * A role's background renewal is never due sooner than this after the credentials were
 * fetched, whatever lifetime the portal gives them: credentials living 20 minutes or less
 * once made the renewal due at once, and it spun (1,267 GetRoleCredentials in 40 s). A
 * minute keeps even absurdly short credentials to one call a minute per role in use.
 */
export const CREDENTIALS_RENEW_MIN_INTERVAL_MS = 1 * MINUTE_MS;

/**
 * A connection to the agent's socket or the exec port that sends nothing for this long
 * while no request of it is being answered is closed. The CLI and the SDKs write their
 * request the moment they connect, so 2 seconds is generous even on a loaded machine;
 * without it a silent connection keeps one of the capped slots until Node's header timeout,
 * which it checks only every second on the socket and every 30 s on the exec port.
 */
export const SILENT_CONNECTION_TIMEOUT_MS = 2 * SECOND_MS;

/**
 * Budget for a whole request to the exec port (headers included) to arrive. The SDKs'
 * container provider sends one GET without a body in one write and gives up after 1 s
 * (JavaScript) or 2 s (botocore) itself, so 5 seconds never cuts a real one, and a
 * trickling connection, which any local user can open, holds a slot no longer than that.
 */
export const EXEC_PORT_REQUEST_TIMEOUT_MS = 5 * SECOND_MS;


/**
 * An access token is never refreshed sooner than this after it was obtained or last
 * refreshed, nor tried again sooner after a refresh that renewed nothing, whatever
 * lifetime the service gives it: tokens living 10 minutes or less once made the refresh
 * due at once, and it spun (807 CreateToken in 2 s, each rotating the refresh token and
 * writing the keychain). A minute keeps even absurdly short tokens to one call a minute.
 */
export const TOKEN_REFRESH_MIN_INTERVAL_MS = 1 * MINUTE_MS;

/**
 * Device-code polling never runs faster than this, whatever `interval` the service sends.
 * RFC 8628 section 3.5 makes the client wait the interval; AWS sends 1 second, so a floor
 * of a second costs a real sign-in nothing, while an interval of 0.0001 s once made 1,951
 * polls in 5 s.
 */
export const MIN_POLL_INTERVAL_MS = 1 * SECOND_MS;

/**
 * The longest delay one timer can hold: Node, like browsers, keeps it as a signed 32-bit
 * count of milliseconds (about 24.8 days) and fires a longer one after 1 ms. A 30-day
 * token or role credentials made their renewal spin that way, so the system clock sleeps
 * longer delays in steps of at most this.
 */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * A connection to the PKCE loopback listener that sends nothing for this long before its
 * request has arrived is closed. A browser writes the redirect the moment it connects (and
 * retries on a fresh connection if a speculative one it held was closed), while any other
 * local user can find the port and hold connections open during the sign-in.
 */
export const PKCE_CALLBACK_SILENT_CONNECTION_TIMEOUT_MS = 2 * SECOND_MS;

/**
 * A session's account and role listing is reused this long: `latchkey accounts` and then
 * `setup-profiles`, or the tray and a terminal, list once between them, and a listing of
 * hundreds of throttled accounts takes many seconds. Assignments change rarely; a sign-in
 * or sign-out starts afresh, and `--refresh` (the tray's Reload) lists again at once.
 */
export const ACCOUNT_LISTING_REUSE_MS = 10 * MINUTE_MS;

/**
 * Longest wait for the Secret Service to say whether the login keyring is locked
 * (secret-service-lock.ts). A running gnome-keyring answers in milliseconds; a bus that
 * tries to start one that never comes would otherwise hold the first keychain call.
 */
export const SECRET_SERVICE_PROBE_TIMEOUT_MS = 2 * SECOND_MS;

/**
 * `latchkey doctor` fails the clock beyond this skew from an IAM Identity Center answer's
 * Date header: SigV4 refuses a request signed more than 5 minutes off the server's clock
 * (RequestTimeTooSkewed), and the SDKs count token expiry on the local clock.
 */
export const MAX_CLOCK_SKEW_MS = 5 * MINUTE_MS;

/**
 * `latchkey doctor`'s wait for any answer from an OIDC endpoint: a reachable endpoint
 * answers in well under a second even through a proxy, and a person is waiting.
 */
export const DOCTOR_ENDPOINT_TIMEOUT_MS = 10 * SECOND_MS;

/**
 * How long a console launch link (the one-shot loopback link to the console sign-in URL)
 * stays answerable: a browser that has to start first takes several seconds, and the
 * sign-in token behind it is good for 15 minutes anyway. The port is given back after.
 */
export const CONSOLE_LINK_HOLD_MS = 2 * MINUTE_MS;

/**
 * The background refresher never sleeps longer than this in one piece. Its timers run on
 * the monotonic clock, which stands still while a laptop sleeps and ignores a wall clock
 * set forward, while every expiry is a wall-clock moment: re-reading the clock this often
 * catches up within half a minute of waking, instead of sleeping on towards a refresh
 * point long past (and a token long expired).
 */
export const WALL_CLOCK_RECHECK_MS = 30 * SECOND_MS;
