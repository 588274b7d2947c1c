import { LatchkeyError } from '../../core/errors';
import { readCredentials, type AgentCredentials } from '../agent-responses';
import type { CliContext } from '../cli-context';
import type { CredentialTarget } from '../cli-args';
import { toRfc3339Seconds } from '../credential-process-output';
import { credentialQuery, describeTarget } from '../credential-query';

/**
 * How long credential_process waits for a sign-in in the desktop app. The AWS CLI shows
 * nothing while it waits, so it must end: two minutes is enough to click the notification
 * and approve, and short enough that a forgotten terminal fails instead of hanging.
 */
export const SIGN_IN_WAIT_SECONDS = 120;
/** Printed after this long without an answer, so a waiting tool says what it waits for. */
const WAITING_NOTICE_MS = 1_500;
/** The agent answers a wait within its own budget; this covers the socket round trip on top. */
const WAIT_MARGIN_MS = 15_000;

/** Role credentials with at least 15 minutes left, from the agent (started if needed). */
export async function fetchCredentials(ctx: CliContext, target: CredentialTarget, wait: boolean): Promise<AgentCredentials> {
  const waitSeconds = wait ? SIGN_IN_WAIT_SECONDS : 0;
  const query = credentialQuery(target);
  query.set('waitSeconds', String(waitSeconds));
  try {
    const credentials = await ctx.withAgent(async (client) => {
      // Started only once the agent is reachable, so starting an agent is not reported as waiting for a sign-in.
      const notice = wait ? setTimeout(() => ctx.stderr.write(waitingNotice(target, waitSeconds)), WAITING_NOTICE_MS) : undefined;
      try {
        return await client.call({
          method: 'GET',
          path: `/v1/credentials?${query}`,
          timeoutMs: waitSeconds * 1000 + WAIT_MARGIN_MS,
          read: readCredentials,
        });
      } finally {
        clearTimeout(notice);
      }
    });
    return { ...credentials, Expiration: toRfc3339Seconds(credentials.Expiration) };
  } catch (error) {
    throw withLoginHint(error, target);
  }
}

function waitingNotice(target: CredentialTarget, waitSeconds: number): string {
  return `latchkey: waiting up to ${waitSeconds / 60} minutes for you to sign in for ${describeTarget(target)} in the Latchkey app.\n`;
}

/** Exit 3 must name the command to run; the agent's message normally does already. */
function withLoginHint(error: unknown, target: CredentialTarget): unknown {
  if (!(error instanceof LatchkeyError) || (error.code !== 'signed_out' && error.code !== 'unauthorized')) return error;
  if (error.message.includes('latchkey login')) return error;
  const session = 'session' in target ? target.session : 'NAME';
  const hint = 'session' in target ? '' : ` for the sso-session of ${describeTarget(target)}`;
  return new LatchkeyError('signed_out', `Not signed in; run "latchkey login --session ${session}"${hint}.`, { cause: error });
}
