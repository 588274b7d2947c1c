import { LatchkeyError } from '../../core/errors';
import type { AgentClient } from '../agent-client';
import { readCredentials, type AgentCredentials } from '../agent-responses';
import type { CliContext } from '../cli-context';
import type { CredentialTarget } from '../cli-args';
import { toRfc3339Seconds } from '../credential-process-output';
import { credentialQuery, describeTarget } from '../credential-query';
import { configFileHeaders } from '../own-config-file';
import { SignInNeededAnswer, canWaitFor, waitingNotice } from '../sign-in-needed-answer';

/**
 * How long credential_process and exec wait for a sign-in (one in flight, or one in the
 * desktop app). The AWS CLI shows
 * nothing while it waits, so it must end: two minutes is enough to click the notification
 * and approve, and short enough that a forgotten terminal fails instead of hanging.
 */
export const SIGN_IN_WAIT_SECONDS = 120;
/** Printed after this long of waiting, so a waiting tool says what it waits for (a quick sign-in needs no notice). */
const WAITING_NOTICE_MS = 1_500;
/** The agent answers a wait within its own budget; this covers the socket round trip on top. */
const WAIT_MARGIN_MS = 15_000;

/**
 * Role credentials with at least 15 minutes left, from the agent (started if needed).
 * First asked without waiting, which the agent answers at once; only when its answer says
 * a sign-in can end the wait (one in flight, or the desktop app can offer one) and the
 * caller waits is it asked again with a wait, saying on stderr where to sign in.
 */
export async function fetchCredentials(ctx: CliContext, target: CredentialTarget, wait: boolean): Promise<AgentCredentials> {
  try {
    const headers = configFileHeaders(ctx.env, ctx.homeDir);
    const credentials = await ctx.withAgent(async (client) => {
      try {
        return await askAgent(client, target, 0, headers);
      } catch (error) {
        if (!wait || !(error instanceof SignInNeededAnswer) || !canWaitFor(error.signIn)) throw error;
        const notice = setTimeout(() => ctx.stderr.write(waitingNotice(error.signIn, SIGN_IN_WAIT_SECONDS)), WAITING_NOTICE_MS);
        try {
          return await askAgent(client, target, SIGN_IN_WAIT_SECONDS, headers);
        } finally {
          clearTimeout(notice);
        }
      }
    });
    return { ...credentials, Expiration: toRfc3339Seconds(credentials.Expiration) };
  } catch (error) {
    throw withLoginHint(error, target);
  }
}

function askAgent(client: AgentClient, target: CredentialTarget, waitSeconds: number, headers: Record<string, string>): Promise<AgentCredentials> {
  const query = credentialQuery(target);
  query.set('waitSeconds', String(waitSeconds));
  const path = `/v1/credentials?${query}`;
  return client.call({ method: 'GET', path, timeoutMs: waitSeconds * 1000 + WAIT_MARGIN_MS, read: readCredentials, headers });
}

/** Exit 3 must name the command to run; the agent's message normally does already. */
export function withLoginHint(error: unknown, target: CredentialTarget): unknown {
  if (!(error instanceof LatchkeyError) || (error.code !== 'signed_out' && error.code !== 'unauthorized')) return error;
  // The agent's sentence says where the sign-in runs (the window, another terminal).
  if (error instanceof SignInNeededAnswer || error.message.includes('latchkey login')) return error;
  const session = 'session' in target ? target.session : 'NAME';
  const hint = 'session' in target ? '' : ` for the sso-session of ${describeTarget(target)}`;
  return new LatchkeyError('signed_out', `Not signed in; run "latchkey login --session ${session}"${hint}.`, { cause: error });
}
