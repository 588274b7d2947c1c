import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from './emulator-state';
import { decisionButtons, escapeHtml, page } from './html';
import { readBody, sendHtml } from './http-io';
import { VERIFICATION_PATH } from './oidc-routes';

/** GET /device: the page a person opens from verificationUri(Complete) to confirm a user code. */
export function showVerificationPage(res: ServerResponse, query: URLSearchParams): void {
  const userCode = query.get('user_code') ?? '';
  const body = `<p>Check that this code matches the one your application shows, then allow or deny access.</p>
<form method="post" action="${VERIFICATION_PATH}">
<p><label for="user_code">Code</label><br>
<input type="text" id="user_code" name="user_code" value="${escapeHtml(userCode)}" autocomplete="off" autofocus required maxlength="16"></p>
${decisionButtons()}
</form>`;
  sendHtml(res, 200, page('Authorize request', body));
}

/** POST /device: applies the person's Allow or Deny to the user code. */
export async function submitVerification(req: IncomingMessage, res: ServerResponse, state: EmulatorState): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const userCode = form.get('user_code') ?? '';
  const decision = form.get('decision');
  if (decision !== 'allow' && decision !== 'deny') {
    sendHtml(res, 400, page('Choose Allow or Deny', `<p><a href="${VERIFICATION_PATH}?user_code=${encodeURIComponent(userCode)}">Back</a></p>`));
    return;
  }
  const result = state.devices.decide(userCode, decision === 'allow' ? 'approved' : 'denied');
  if (result === 'unknown') {
    sendHtml(res, 404, page('Code not recognised', `<p>The code <span class="code">${escapeHtml(userCode)}</span> is not valid or has expired. Start signing in again.</p>`));
    return;
  }
  if (result === 'conflict') {
    sendHtml(res, 409, page('Already decided', '<p>This request was already answered the other way.</p>'));
    return;
  }
  const title = decision === 'allow' ? 'Request approved' : 'Request denied';
  const text = decision === 'allow'
    ? 'You can close this window and return to your application.'
    : 'Access was denied. You can close this window.';
  sendHtml(res, 200, page(title, `<p><span class="code">${escapeHtml(userCode)}</span></p><p>${text}</p>`));
}
