import type { AgentResponse } from '../integration/agent/agent-harness';
import type { RowAction } from './fault-matrix-cell';
import type { FaultWorld } from './fault-matrix-world';

/** Long enough for every retry of MATRIX_RETRY_TIMING and a device-code poll or two. */
const SIGN_IN_WAIT_SECONDS = 4;
/** Into the refresh window (20 minutes before expiry) of a 1-hour token, not past it. */
const INTO_REFRESH_WINDOW_MS = 45 * 60_000;
/** From inside the refresh window to past the access token's expiry: only a refresh can answer then. */
const PAST_EXPIRY_MS = 16 * 60_000;

async function signIn(world: FaultWorld, flow: 'pkce' | 'device-code'): Promise<AgentResponse> {
  const started = await world.request('POST', '/v1/sessions/corp/sign-in', { flow, openBrowser: flow === 'pkce' });
  if (started.status !== 202) return started;
  return world.request('POST', `/v1/sessions/corp/sign-in/wait?timeoutSeconds=${SIGN_IN_WAIT_SECONDS}`);
}

/** A sign-in still in flight is waited for (the same code, no new prompt); an ended one is started again. */
function signInAgain(flow: 'pkce' | 'device-code') {
  return async (world: FaultWorld, faulted: AgentResponse): Promise<AgentResponse> => {
    if (faulted.status === 202) return world.request('POST', '/v1/sessions/corp/sign-in/wait?timeoutSeconds=10');
    return signIn(world, flow);
  };
}

const deviceCodeSignIn: RowAction = { corp: 'signed-out', run: (world) => signIn(world, 'device-code'), recover: signInAgain('device-code') };
const pkceSignIn: RowAction = { corp: 'signed-out', run: (world) => signIn(world, 'pkce'), recover: signInAgain('pkce') };

/** A request of the signed-in session, the same one again once AWS is well. */
function signedIn(method: string, path: string, body?: object): RowAction {
  const send = (world: FaultWorld): Promise<AgentResponse> => world.request(method, path, body);
  return { corp: 'signed-in', run: send, recover: send };
}

/**
 * The account listing backs off on 429 between THROTTLE_BACKOFF_BASE_MS / 2 and
 * THROTTLE_BACKOFF_MAX_MS per retry, about a minute in all: those sleeps pass at once
 * (the HTTP client's own, of milliseconds, and the refresher's, of 30 s and more, keep
 * their time), so that the whole backoff is taken and the listing's give-up is seen.
 */
const LISTING_BACKOFF_MS = { min: 500, max: 16_000 } as const;

/**
 * One account: the clock move below also moves the HTTP client's retry deadline, so it
 * must never land while another account's listing is between its attempts.
 */
const ONE_ACCOUNT = { accounts: [{ accountId: '111111111111', accountName: 'Development', roles: ['Developer', 'ReadOnly'] }] };

function listing(): RowAction {
  const send = async (world: FaultWorld): Promise<AgentResponse> => {
    await world.harness.emulatorAdmin('POST', 'directory', ONE_ACCOUNT);
    let done = false;
    const answer = world.request('GET', '/v1/sessions/corp/accounts?refresh=1').finally(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      world.clock.skipSleepBetween(LISTING_BACKOFF_MS.min, LISTING_BACKOFF_MS.max);
    }
    return answer;
  };
  return { corp: 'signed-in', run: send, recover: send };
}

/** The row's operation and grant, and how the agent is brought to call it. */
export const ROW_ACTIONS = {
  RegisterClient: deviceCodeSignIn,
  StartDeviceAuthorization: deviceCodeSignIn,
  'CreateToken device_code': deviceCodeSignIn,
  'CreateToken authorization_code': pkceSignIn,
  'CreateToken refresh_token': {
    corp: 'signed-in',
    // The still-valid token is served at once, and the refresh runs behind the answer:
    // the cell counts its calls once it has ended.
    run: async (world) => {
      world.clock.advance(INTO_REFRESH_WINDOW_MS);
      const answer = await world.request('GET', '/v1/sessions/corp/token');
      await world.harness.agent.engine.refreshInFlight('corp')?.catch(() => undefined);
      return answer;
    },
    // Past the old token's expiry only a working refresh token answers: does the session still renew?
    recover: async (world) => {
      world.clock.advance(PAST_EXPIRY_MS);
      return world.request('GET', '/v1/sessions/corp/token');
    },
  },
  ListAccounts: listing(),
  ListAccountRoles: listing(),
  GetRoleCredentials: signedIn('GET', '/v1/credentials?profile=dev'),
  Logout: {
    corp: 'signed-in',
    run: (world) => world.request('POST', '/v1/sessions/corp/sign-out'),
    recover: (world) => world.request('GET', '/v1/sessions/corp/token'),
  },
  GetSigninToken: signedIn('POST', '/v1/console', { profile: 'dev', open: false }),
} satisfies Record<string, RowAction>;

export type RowName = keyof typeof ROW_ACTIONS;
