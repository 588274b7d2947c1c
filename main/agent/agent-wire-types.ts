/**
 * The JSON the agent's socket speaks (docs/agent-api.md), typed once so the routes and
 * the CLI that reads them agree. Times are RFC 3339 UTC strings.
 */
export interface ErrorBody {
  error: { code: string; message: string; signIn?: SignInNeededWire };
}

/**
 * On a `signed_out` answer for a session: where a person can sign it in, so a caller that
 * waits can say where (docs/agent-api.md, `GET /v1/credentials`).
 */
export interface SignInNeededWire {
  session: string;
  /** The sign-in in flight, when there is one, and who started it. */
  inProgress?: SignInStarterWire;
  /** The desktop app runs this agent: its window (and a notification) can sign the session in. */
  app: boolean;
}

/** `command`: a socket caller that named itself (`latchkey login`); `app`: the desktop app's window; `unknown`: any other caller. */
export type SignInStarterWire = { by: 'command'; command: string; pid: number } | { by: 'app' } | { by: 'unknown' };

export type SessionState = 'signed-in' | 'signing-in' | 'signed-out';

export interface SessionStatusWire {
  name: string;
  startUrl: string;
  region: string;
  state: SessionState;
  accessTokenExpiresAt?: string;
  refreshable: boolean;
  /** Why a signed-out session is signed out, when the agent saw it happen. */
  signedOut?: SignedOutWire;
}

/**
 * `ended-by-aws`: AWS refused the tokens (signed out with `aws sso logout` or on the
 * portal, or the session ended there); `expired`: the sign-in ran out and could not be
 * renewed; `logged-out`: `latchkey logout`.
 */
export interface SignedOutWire {
  reason: 'ended-by-aws' | 'expired' | 'logged-out';
  at: string;
}

export interface StatusResponse {
  version: string;
  pid: number;
  interactive: boolean;
  configFile: string;
  /** Present (true) when the config file does not exist: a newcomer is told to create it. */
  configFileMissing?: boolean;
  problems: string[];
  /** One sentence per line of the config that the AWS CLI and the JS SDK read differently (aws-config-dialect.ts). */
  configWarnings: string[];
  sessions: SessionStatusWire[];
  /** Where the agent keeps secrets and why (store-choice.ts); absent from an agent given its own store (tests). */
  store?: StoreStatusWire;
}

export interface StoreStatusWire {
  name: 'secret-service' | 'kernel-keyring';
  reason: string;
  /** Asked for with `?checkStore=1` (latchkey doctor): why the store cannot be used now; absent when it can. */
  error?: string;
}

export interface SignInRequest {
  flow?: 'pkce' | 'device-code';
  openBrowser?: boolean;
  /** Who asks (`latchkey login` and its pid), so that other tools can say where the sign-in runs. */
  requester?: SignInRequesterWire;
}

export interface SignInRequesterWire {
  command: string;
  pid: number;
}

export interface SignInStateResponse {
  state: SessionState;
  accessTokenExpiresAt?: string;
  /** Signed in with a refresh token: the agent renews the access token by itself. */
  refreshable?: boolean;
}

export interface AccountWire {
  accountId: string;
  accountName?: string;
  emailAddress?: string;
  roles: string[];
}

export interface AccountsResponse {
  accounts: AccountWire[];
}

/**
 * `GET /v1/sessions/{name}/accounts` asked with `Accept: text/event-stream`, once the
 * listing takes long enough to report progress: one `data:` line of JSON each, the last
 * one `accounts` or `error` (the answer and status the JSON route would have sent).
 */
export type AccountsStreamEvent =
  | { type: 'progress'; accountsListed: number; accountsTotal: number }
  | ({ type: 'accounts' } & AccountsResponse)
  | ({ type: 'error'; status: number } & ErrorBody);

/**
 * `POST /v1/sessions/{name}/sign-out` and `POST /v1/sign-out` when AWS could not be told
 * (the portal Logout failed): the records are gone all the same, and each session named
 * here keeps a token valid at AWS until `tokenValidUntil`. When AWS was told (or nothing
 * needed telling) the answer is 204 without a body.
 */
export interface SignOutResponse {
  state: 'signed-out';
  awsNotTold: { session: string; code: string; tokenValidUntil: string }[];
}

export interface AccessTokenResponse {
  accessToken: string;
  expiresAt: string;
}

/** `credential_process` output without `Version`, plus the account. */
export interface CredentialsResponse {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
  AccountId: string;
}

/** What the AWS SDKs' container provider reads (docs/contract.md section 8): `Token`, not `SessionToken`. */
export interface ContainerCredentialsResponse {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  Expiration: string;
  AccountId: string;
}

/** A profile, or an explicit (session, account, role). */
/** A role by profile, or by session, account and role; the account by its id or by its name (resolved against the listing). */
export type CredentialTargetWire =
  | { profile: string }
  | { session: string; accountId: string; roleName: string }
  | { session: string; accountName: string; roleName: string };

/** The one event of the `POST /v1/exec-endpoints` stream: the binding, alive while the stream is. */
export interface ExecEndpointResponse {
  id: string;
  url: string;
  authorizationToken: string;
}

/** Device-code and PKCE progress on the event stream; times as RFC 3339. */
export type SignInProgressWire =
  | { type: 'code-issued'; userCode: string; verificationUri: string; verificationUriComplete: string; expiresAt: string }
  | { type: 'waiting'; nextPollAt: string; intervalSeconds: number }
  | { type: 'network-trouble'; retryAt: string; message: string }
  | { type: 'browser-opening'; authorizeUrl: string; redirectUri: string; expiresAt: string }
  | { type: 'approved' }
  | { type: 'denied' }
  | { type: 'expired' }
  | { type: 'failed'; code: string; message: string };

/** One `data:` line of `GET /v1/events`. */
export type AgentEventWire =
  | { type: 'sign-in-progress'; session: string; progress: SignInProgressWire }
  | { type: 'signed-in'; session: string; accessTokenExpiresAt: string }
  | { type: 'sign-in-failed'; session: string; code: string }
  | { type: 'refreshed'; session: string; accessTokenExpiresAt: string }
  | { type: 'signed-out'; session: string; reason: 'token-rejected' | 'refresh-rejected' | 'expired' | 'logout' }
  | { type: 'needs-sign-in'; session: string; profile?: string };

/** `POST /v1/console`'s answer; `url` only when the caller asked for it (`"open": false`). */
export interface ConsoleResponse {
  accountId: string;
  roleName: string;
  /** Where the browser lands. */
  destination: string;
  /** The console sign-in URL: a bearer secret for 15 minutes. */
  url?: string;
}
