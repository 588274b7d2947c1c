import { SIGN_IN_WAIT_DEFAULT_MS } from '../../core/time-windows';
import type { SsoSessionConfig } from '../../core/aws-config';
import type { AccountWithRoles } from '../../core/account-directory';
import type { SignOutOutcome } from '../../core/session-tokens';
import type { AccessTokenResponse, AccountsResponse, AccountsStreamEvent, SignInStateResponse, SignOutResponse } from '../agent-wire-types';
import { isoTime } from '../agent-event';
import type { AgentServices } from '../agent-services';
import { assertSameConfigFile } from '../caller-config-file';
import { errorResponse } from '../error-status';
import { acceptsEventStream, LazyEventStream } from '../lazy-event-stream';
import { queryFlag, querySeconds, signInRequest, validSessionName } from '../request-validation';
import { signInInProgress } from '../sign-in-needed';
import type { RouteRequest, Router } from '../router';

/** The longest `timeoutSeconds` a wait accepts: an hour, well past any sign-in's own limit. */
const MAX_WAIT_SECONDS = 3600;

/** Sign-in (start, wait, cancel), sign-out, accounts and the access token of a session. */
export function registerSessionRoutes(router: Router, services: AgentServices): void {
  const { config, engine, signIns } = services;

  function sessionOf(request: RouteRequest): Promise<SsoSessionConfig> {
    return config.session(validSessionName(request.params.name));
  }

  router.add('POST', '/v1/sessions/:name/sign-in', async (request) => {
    const wanted = signInRequest(request.body);
    const session = await sessionOf(request);
    const flow = services.defaultFlow(wanted.flow);
    // A device code is chosen where no browser is at hand; PKCE needs one unless the caller opens it.
    signIns.start(session, flow, wanted.openBrowser ?? flow === 'pkce', wanted.requester);
    const body: SignInStateResponse = { state: 'signing-in' };
    return { status: 202, body };
  });

  router.add('POST', '/v1/sessions/:name/sign-in/wait', async (request) => {
    const timeoutSeconds = querySeconds(request.query, 'timeoutSeconds', MAX_WAIT_SECONDS, SIGN_IN_WAIT_DEFAULT_MS / 1000);
    const session = await sessionOf(request);
    const outcome = await signIns.wait(session, timeoutSeconds * 1000, request.signal);
    const body: SignInStateResponse =
      outcome.state === 'signed-in'
        ? { state: 'signed-in', accessTokenExpiresAt: isoTime(outcome.accessTokenExpiresAtMs), refreshable: (await services.engine.status(session.name)).refreshable }
        : { state: 'signing-in' };
    return { status: outcome.state === 'signed-in' ? 200 : 202, body };
  });

  router.add('DELETE', '/v1/sessions/:name/sign-in', async (request) => {
    signIns.cancel(validSessionName(request.params.name));
    return { status: 204 };
  });

  router.add('POST', '/v1/sessions/:name/sign-out', async (request) => {
    const session = await sessionOf(request);
    return signOutAnswer([{ session: session.name, outcome: await signIns.signOut(session) }]);
  });

  router.add('POST', '/v1/sign-out', async () => {
    const sessions = [...(await config.load()).ssoSessions.values()];
    return signOutAnswer(await Promise.all(sessions.map(async (session) => ({ session: session.name, outcome: await signIns.signOut(session) }))));
  });

  /** A signed-out session would join the sign-in in flight for as long as the person takes: answer at once instead. */
  async function refuseWhileSigningIn(session: SsoSessionConfig): Promise<void> {
    const starter = signIns.starter(session.name);
    if (starter !== undefined && !(await engine.status(session.name)).signedIn) throw signInInProgress(session.name, starter, services.interactive);
  }

  /**
   * A recent listing is reused (`?refresh=1` lists anew). Asked for an event stream, a
   * listing that has to reach the portal reports its progress (AccountsStreamEvent).
   */
  router.add('GET', '/v1/sessions/:name/accounts', async (request, response) => {
    const refresh = queryFlag(request.query, 'refresh');
    await assertSameConfigFile(request.raw, services);
    const session = await sessionOf(request);
    await refuseWhileSigningIn(session);
    const stream = acceptsEventStream(request.raw) ? new LazyEventStream<AccountsStreamEvent>(response) : undefined;
    try {
      const accounts = await engine.accounts(session, {
        refresh,
        ...(stream === undefined ? {} : { onProgress: (progress) => stream.send({ type: 'progress', ...progress }) }),
      });
      const body = accountsResponse(accounts);
      if (stream?.started !== true) return { status: 200, body };
      stream.end({ type: 'accounts', ...body });
    } catch (error) {
      if (stream?.started !== true) throw error;
      const { status, body } = errorResponse(error, services.logger);
      stream.end({ type: 'error', status, ...body });
    }
    return 'streaming';
  });

  router.add('GET', '/v1/sessions/:name/token', async (request) => {
    const session = await sessionOf(request);
    await refuseWhileSigningIn(session);
    const { accessToken, accessTokenExpiresAtMs } = await engine.usableTokens(session);
    const body: AccessTokenResponse = { accessToken, expiresAt: isoTime(accessTokenExpiresAtMs) };
    return { status: 200, body };
  });
}

/** 204 when AWS was told of every sign-out; else 200 naming the sessions whose token stays valid at AWS. */
function signOutAnswer(signOuts: { session: string; outcome: SignOutOutcome }[]): { status: number; body?: SignOutResponse } {
  const awsNotTold = signOuts.flatMap(({ session, outcome }) =>
    outcome.awsTold ? [] : [{ session, code: outcome.code, tokenValidUntil: isoTime(outcome.tokenValidUntilMs) }],
  );
  return awsNotTold.length === 0 ? { status: 204 } : { status: 200, body: { state: 'signed-out', awsNotTold } };
}

function accountsResponse(accounts: readonly AccountWithRoles[]): AccountsResponse {
  return {
    accounts: accounts.map((account) => ({
      accountId: account.accountId,
      ...(account.accountName === undefined ? {} : { accountName: account.accountName }),
      ...(account.emailAddress === undefined ? {} : { emailAddress: account.emailAddress }),
      roles: account.roles,
    })),
  };
}
