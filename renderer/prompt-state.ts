import type { SignInFlow } from '../main/core/client-registrar';
import type { SessionEvent } from '../main/core/session-events';

/**
 * The prompt's states (UX.md state table). `denied`, `expired`, `failed` and `approved`
 * are entered on the engine's final event for the sign-in, not on the progress event
 * before it: by then the flow has ended, so "Try again" never joins the dying one.
 */
export type PromptPhase =
  | 'starting'
  | 'waiting'
  | 'network-trouble'
  | 'finishing'
  | 'approved'
  | 'denied'
  | 'expired'
  | 'failed'
  | 'cancelled';

export interface PromptState {
  session: string;
  phase: PromptPhase;
  flow?: SignInFlow;
  userCode?: string;
  /** The plain verification URL (device code), shown in small type. */
  verificationUri?: string;
  /** The complete URL: verificationUriComplete, or the PKCE authorize URL. */
  browserUrl?: string;
  expiresAtMs?: number;
  retryAtMs?: number;
  signedInUntilMs?: number;
  /** The sign-in holds a refresh token: its credentials renew by themselves. */
  renews?: boolean;
  failure?: { code: string; message?: string };
}

export const SETTLED_PHASES: ReadonlySet<PromptPhase> = new Set(['approved', 'denied', 'expired', 'failed', 'cancelled']);

export function startingPrompt(session: string, flow?: SignInFlow): PromptState {
  return { session, phase: 'starting', ...(flow ? { flow } : {}) };
}

export function nextPromptState(state: PromptState, event: SessionEvent): PromptState {
  if (event.session !== state.session) return state;
  switch (event.type) {
    case 'sign-in-progress':
      return afterProgress(state, event.progress);
    case 'signed-in':
      return { ...state, phase: 'approved', signedInUntilMs: event.accessTokenExpiresAtMs, renews: event.refreshable, retryAtMs: undefined };
    case 'sign-in-failed':
      return afterFailure(state, event.code);
    default:
      return state;
  }
}

function afterProgress(state: PromptState, progress: Extract<SessionEvent, { type: 'sign-in-progress' }>['progress']): PromptState {
  // A new code is a new flow (perhaps started from the tray or the CLI): it replaces any
  // outcome on screen. Anything else after the outcome belongs to the finished flow.
  const fresh = progress.type === 'code-issued' || progress.type === 'browser-opening';
  if (!fresh && SETTLED_PHASES.has(state.phase)) return state;
  switch (progress.type) {
    case 'code-issued':
      return {
        session: state.session,
        phase: 'waiting',
        flow: 'device-code',
        userCode: progress.userCode,
        verificationUri: progress.verificationUri,
        browserUrl: progress.verificationUriComplete,
        expiresAtMs: progress.expiresAtMs,
      };
    case 'browser-opening':
      return { session: state.session, phase: 'waiting', flow: 'pkce', browserUrl: progress.authorizeUrl, expiresAtMs: progress.expiresAtMs };
    case 'waiting':
      // Sent only once AWS answered a poll (device-flow.ts): any network trouble is over.
      return { ...state, phase: 'waiting', retryAtMs: undefined };
    case 'network-trouble':
      return { ...state, phase: 'network-trouble', retryAtMs: progress.retryAtMs };
    case 'approved':
      return { ...state, phase: 'finishing', retryAtMs: undefined };
    case 'failed':
      // The details for the final event; the phase changes when the sign-in has ended.
      return { ...state, failure: { code: progress.code, message: progress.message } };
    default:
      return state;
  }
}

function afterFailure(state: PromptState, code: string): PromptState {
  const settled = { ...state, retryAtMs: undefined };
  switch (code) {
    case 'cancelled':
      return { ...settled, phase: 'cancelled' };
    case 'access_denied':
      return { ...settled, phase: 'denied' };
    case 'expired_token':
      return { ...settled, phase: 'expired' };
    default:
      return { ...settled, phase: 'failed', failure: state.failure?.code === code ? state.failure : { code } };
  }
}

/** One sentence for a failure code, saying what happened and what to do next. */
export function failureSentence(failure: { code: string; message?: string } | undefined): string {
  if (!failure) return 'The sign-in failed. Try again.';
  // A sentence Latchkey wrote is kept, unless it only names OAuth's raw code.
  const own = failure.message !== undefined && !failure.message.includes(failure.code) ? failure.message : undefined;
  switch (failure.code) {
    case 'network_error':
    case 'timeout':
    case 'server_error':
    case 'throttled':
      return 'Couldn’t reach AWS. Check your connection, then try again.';
    case 'keychain_unavailable':
    case 'keychain_locked':
      return 'Couldn’t save to the system keychain. Unlock it, then try again.';
    // OAuth's own codes mean nothing to a person (UX.md): each gets what to do instead.
    case 'invalid_client':
    case 'unauthorized_client':
      return own ?? 'AWS no longer accepts Latchkey’s registration. Try again: Latchkey registers anew.';
    case 'invalid_grant':
      return own ?? 'AWS refused to finish this sign-in. Try again.';
    case 'invalid_scope':
      return own ?? 'AWS refused the access this session asks for (sso_registration_scopes in the AWS config). Check it, then try again.';
    case 'invalid_request':
    case 'unsupported_grant_type':
    case 'unknown_error':
      return own ?? 'The sign-in page refused the request. Try again; the Latchkey log has the details.';
    default:
      return own ?? 'The sign-in failed. Try again; the Latchkey log has the details.';
  }
}
