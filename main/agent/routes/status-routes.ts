import { LATCHKEY_VERSION } from '../../core/version';
import type { SignOutRecord } from '../../core/sign-in-engine';
import type { SessionStatusWire, SignedOutWire, StatusResponse, StoreStatusWire } from '../agent-wire-types';
import { isoTime } from '../agent-event';
import type { AgentServices } from '../agent-services';
import type { Router } from '../router';

/**
 * `GET /v1/status`: the agent, the config file's problems and dialect warnings, and every configured session.
 * `POST /v1/shutdown`: stops a headless agent so the desktop app can take over.
 */
export function registerStatusRoutes(router: Router, services: AgentServices): void {
  router.add('GET', '/v1/status', async (request) => {
    const config = await services.config.load();
    const sessions = await Promise.all(
      [...config.ssoSessions.values()].map(async (session): Promise<SessionStatusWire> => {
        const status = await services.engine.status(session.name);
        const state = services.signIns.isSigningIn(session.name) ? 'signing-in' : status.signedIn ? 'signed-in' : 'signed-out';
        return {
          name: session.name,
          startUrl: session.startUrl,
          region: session.region,
          state,
          ...(status.signedIn && status.accessTokenExpiresAtMs !== undefined
            ? { accessTokenExpiresAt: isoTime(status.accessTokenExpiresAtMs) }
            : {}),
          refreshable: status.refreshable,
          ...(state === 'signed-out' ? signedOutWire(services.engine.lastSignOut(session.name)) : {}),
        };
      }),
    );
    const body: StatusResponse = {
      version: LATCHKEY_VERSION,
      pid: process.pid,
      interactive: services.interactive,
      configFile: config.filePath,
      ...(config.fileMissing === true ? { configFileMissing: true } : {}),
      problems: config.problems.map((problem) => problem.message),
      configWarnings: config.dialectWarnings.map((warning) => warning.message),
      sessions,
      ...(services.storeChoice === undefined ? {} : { store: await storeStatus(services, request.query.get('checkStore') === '1') }),
    };
    return { status: 200, body };
  });
  router.add('POST', '/v1/shutdown', async () => {
    services.requestShutdown();
    return { status: 202, body: { state: 'stopping' } };
  });
}

const SIGNED_OUT_REASONS: Readonly<Record<SignOutRecord['reason'], SignedOutWire['reason']>> = {
  'token-rejected': 'ended-by-aws',
  'refresh-rejected': 'ended-by-aws',
  expired: 'expired',
  logout: 'logged-out',
};

function signedOutWire(record: SignOutRecord | undefined): { signedOut?: SignedOutWire } {
  return record === undefined ? {} : { signedOut: { reason: SIGNED_OUT_REASONS[record.reason], at: isoTime(record.atMs) } };
}

/** The store and why; with `check`, also whether it can be used now (one listing of its entries). */
async function storeStatus(services: AgentServices, check: boolean): Promise<StoreStatusWire | undefined> {
  const choice = services.storeChoice;
  if (choice === undefined) return undefined;
  const error = check ? await services.probeStore() : undefined;
  return { name: choice.name, reason: choice.reason, ...(error === undefined ? {} : { error }) };
}
