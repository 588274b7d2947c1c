import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthorizeOutcome } from './authorization-codes';
import type { EmulatorState } from './emulator-state';
import { decisionButtons, escapeHtml, page } from './html';
import { readBody, redirect, sendHtml } from './http-io';
import { OidcError, sendOidcError } from './wire-errors';

export const AUTHORIZE_PATH = '/authorize';
export const AUTHORIZE_DECISION_PATH = '/authorize/decision';

/** GET /authorize: the PKCE authorization request a client opens in the browser. */
export function showAuthorize(res: ServerResponse, state: EmulatorState, query: URLSearchParams): void {
  const outcome = beginOrReject(res, state, query);
  if (outcome === undefined) return;
  if (outcome.kind === 'redirect') {
    redirect(res, outcome.location);
    return;
  }
  const scopes = outcome.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('');
  const body = `<p><strong>${escapeHtml(outcome.clientName)}</strong> asks to sign in with your IAM Identity Center identity.</p>
<p>Request code <span class="code">${escapeHtml(outcome.userCode)}</span></p>
${scopes === '' ? '' : `<p>Scopes:</p><ul>${scopes}</ul>`}
<form method="post" action="${AUTHORIZE_DECISION_PATH}">
<input type="hidden" name="request" value="${escapeHtml(outcome.requestId)}">
${decisionButtons()}
</form>`;
  sendHtml(res, 200, page('Allow access?', body));
}

function beginOrReject(res: ServerResponse, state: EmulatorState, query: URLSearchParams): AuthorizeOutcome | undefined {
  try {
    return state.authorizations.begin(query);
  } catch (error) {
    if (!(error instanceof OidcError)) throw error;
    // Never redirect to an unverified URI: the error is shown here instead.
    sendOidcError(res, error.code, error.message);
    return undefined;
  }
}

/** POST /authorize/decision: the approval form; sends the browser back to the client. */
export async function submitAuthorizeDecision(req: IncomingMessage, res: ServerResponse, state: EmulatorState): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const decision = form.get('decision');
  if (decision !== 'allow' && decision !== 'deny') {
    sendHtml(res, 400, page('Choose Allow or Deny', '<p>Go back and choose Allow or Deny.</p>'));
    return;
  }
  const outcome = state.authorizations.decide(form.get('request') ?? '', decision === 'allow' ? 'approved' : 'denied');
  if (outcome.location === undefined) {
    const status = outcome.result === 'conflict' ? 409 : 404;
    sendHtml(res, status, page('Request not found', '<p>This sign-in request is unknown, expired or already answered. Start signing in again.</p>'));
    return;
  }
  redirect(res, outcome.location);
}
