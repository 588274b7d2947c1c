import type { EmulatorState } from './emulator-state';

/** AWS: SessionDuration is 900 seconds (15 minutes) to 43200 (12 hours). */
const MIN_SESSION_SECONDS = 900;
const MAX_SESSION_SECONDS = 43_200;

/**
 * The federation endpoint answers what it will not take with a bare 400 and a line of
 * text, never an AWS error type (it is not a smithy service).
 */
export class FederationError extends Error {}

/** `Action=login` answers with a redirect to the destination, not a body. */
export class Redirect {
  constructor(readonly location: string) {}
}

export interface GetSigninTokenResponse {
  SigninToken: string;
}

/**
 * `Action=getSigninToken`: Session is the JSON `{"sessionId","sessionKey","sessionToken"}`
 * naming role credentials the portal issued and that have not expired.
 */
export function getSigninToken(state: EmulatorState, params: URLSearchParams): GetSigninTokenResponse {
  const session = parseSession(params.get('Session'));
  const check = state.credentials.check(session.sessionId, session.sessionKey, session.sessionToken);
  if (check.result !== 'valid') {
    throw new FederationError(check.result === 'expired' ? 'The session credentials have expired.' : 'The session credentials are not valid.');
  }
  const remainingSeconds = Math.floor((check.credential.expiration - state.clock.nowMs()) / 1000);
  const sessionDurationSeconds = sessionDuration(params.get('SessionDuration')) ?? remainingSeconds;
  const token = state.consoleSignIns.issue({ accountId: check.credential.accountId, roleName: check.credential.roleName, sessionDurationSeconds });
  return { SigninToken: token };
}

/** `Action=login`: a live sign-in token sends the browser on to Destination, signed in. */
export function consoleLogin(state: EmulatorState, params: URLSearchParams): Redirect {
  const token = params.get('SigninToken');
  if (token === null || token === '') throw new FederationError('SigninToken is required.');
  const grant = state.consoleSignIns.redeem(token);
  if (grant === undefined) throw new FederationError('The sign-in token is not valid or has expired.');
  const destination = params.get('Destination');
  if (destination === null || !isHttpsUrl(destination)) throw new FederationError('Destination must be an https URL.');
  state.consoleSignIns.record({
    accountId: grant.accountId,
    roleName: grant.roleName,
    destination,
    issuer: params.get('Issuer'),
    sessionDurationSeconds: grant.sessionDurationSeconds,
  });
  return new Redirect(destination);
}

function parseSession(text: string | null): { sessionId: string; sessionKey: string; sessionToken: string } {
  if (text === null || text === '') throw new FederationError('Session is required.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FederationError('Session is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FederationError('Session must be a JSON object.');
  const fields = value as Record<string, unknown>;
  const { sessionId, sessionKey, sessionToken } = fields;
  if (typeof sessionId !== 'string' || typeof sessionKey !== 'string' || typeof sessionToken !== 'string') {
    throw new FederationError('Session must hold sessionId, sessionKey and sessionToken as strings.');
  }
  return { sessionId, sessionKey, sessionToken };
}

function sessionDuration(text: string | null): number | undefined {
  if (text === null) return undefined;
  const seconds = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(seconds >= MIN_SESSION_SECONDS && seconds <= MAX_SESSION_SECONDS)) {
    throw new FederationError(`SessionDuration must be ${MIN_SESSION_SECONDS} to ${MAX_SESSION_SECONDS} seconds.`);
  }
  return seconds;
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}
