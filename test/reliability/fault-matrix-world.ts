import { InMemorySecretStore } from '../../main/core/in-memory-secret-store';
import { AgentHarness, AWS_CONFIG, type AgentResponse } from '../integration/agent/agent-harness';
import { ShiftedClock } from '../support/shifted-clock';

/** The IAM Identity Center and federation operations, as the emulator counts them. */
export type FaultedOperation =
  | 'RegisterClient'
  | 'StartDeviceAuthorization'
  | 'CreateToken'
  | 'ListAccounts'
  | 'ListAccountRoles'
  | 'GetRoleCredentials'
  | 'Logout'
  | 'GetSigninToken';

/** The two OIDC sign-in grants and the refresh, as CreateToken names them on the wire. */
export type FaultGrant = 'urn:ietf:params:oauth:grant-type:device_code' | 'authorization_code' | 'refresh_token';

/**
 * Shrunk from 10 s per attempt and 30 s in all (main/aws/http-timing.ts) so that a delay
 * past the timeout costs about a second; the number of attempts stays the product's own,
 * so the retry counts in the table are the real ones. 600 ms is far above any answer of
 * the emulator, even with every cell running at once on two busy cores.
 */
export const MATRIX_RETRY_TIMING = { requestTimeoutMs: 600, deadlineMs: 10_000, baseDelayMs: 5, maxDelayMs: 40 } as const;
/** Longer than MATRIX_RETRY_TIMING.requestTimeoutMs: every delayed attempt times out. */
export const PAST_TIMEOUT_DELAY_MS = 1_500;

/**
 * The harness's config, whose session `corp` (profile `dev`) takes the faults, plus the
 * bystander `ops` (profile `ops-dev`), an unrelated sign-in whose credentials the agent holds.
 */
const CONFIG = `${AWS_CONFIG}
[sso-session ops]
sso_start_url = https://ops.example.com/start
sso_region = eu-west-1

[profile ops-dev]
sso_session = ops
sso_account_id = 222222222222
sso_role_name = ReadOnly
`;

/** Bystander tokens outlive any refresh window the faulted session is moved into. */
const BYSTANDER_TOKEN_SECONDS = 8 * 3600;
const SESSION_TOKEN_SECONDS = 3600;
/** Role credentials outlive the clock move of the refresh row, so the bystander's stay cached. */
const CREDENTIALS_SECONDS = 12 * 3600;
/** How long the bystander may take while another session's call hangs or fails: no waiting behind it. */
export const BYSTANDER_ANSWER_MS = 1_000;

export interface BystanderCheck {
  status: number;
  elapsedMs: number;
  /** Whether the answer is the credentials the bystander was served before the fault. */
  sameCredentials: boolean;
}

/**
 * One emulator and one real agent (in-memory keychain, a clock that can move) with the
 * bystander signed in and served once, and `corp` signed in or not as the row needs.
 */
export class FaultWorld {
  private constructor(
    readonly harness: AgentHarness,
    readonly store: InMemorySecretStore,
    readonly clock: ShiftedClock,
    private readonly bystanderAnswer: string,
  ) {}

  static async start(corp: 'signed-in' | 'signed-out'): Promise<FaultWorld> {
    const store = new InMemorySecretStore();
    const clock = new ShiftedClock();
    const harness = await AgentHarness.start({
      config: CONFIG,
      emulator: { tokenTtlSeconds: BYSTANDER_TOKEN_SECONDS, credentialsTtlSeconds: CREDENTIALS_SECONDS, intervalSeconds: 1 },
      agent: { secretStore: store, clock, retryTiming: MATRIX_RETRY_TIMING },
    });
    try {
      await expectOk(harness.signIn('ops'), 'bystander sign-in');
      const bystander = await expectOk(harness.request('GET', '/v1/credentials?profile=ops-dev'), 'bystander credentials');
      await harness.emulatorAdmin('POST', 'lifetimes', { accessTokenSeconds: SESSION_TOKEN_SECONDS });
      if (corp === 'signed-in') await expectOk(harness.signIn('corp'), 'corp sign-in');
      await harness.emulatorAdmin('POST', 'reset');
      return new FaultWorld(harness, store, clock, bystander.text);
    } catch (error) {
      await harness.close();
      throw error;
    }
  }

  request(method: string, path: string, body?: object): Promise<AgentResponse> {
    return this.harness.request(method, path, body === undefined ? {} : { body });
  }

  async inject(operation: FaultedOperation, fault: object, grantType?: FaultGrant): Promise<void> {
    await this.harness.emulatorAdmin('POST', 'faults', { operation, count: 10_000, ...fault, ...(grantType === undefined ? {} : { grantType }) });
  }

  /** Removes every fault and zeroes the call counts. */
  async clearFaults(): Promise<void> {
    await this.harness.emulatorAdmin('POST', 'reset');
  }

  async calls(operation: FaultedOperation): Promise<number> {
    return (await this.harness.emulatorAdmin('GET', 'calls') as Record<string, number>)[operation] ?? 0;
  }

  /** Resolves once the emulator has seen a call of `operation`, or after `withinMs` regardless. */
  async reached(operation: FaultedOperation, withinMs: number): Promise<void> {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline && (await this.calls(operation)) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** Every keychain record, raw, by key. */
  async keychain(): Promise<Map<string, string>> {
    const records = new Map<string, string>();
    for (const key of (await this.store.keys()).sort()) records.set(key, (await this.store.get(key)) ?? '');
    return records;
  }

  /** The bystander's credentials request, timed. */
  async bystander(): Promise<BystanderCheck> {
    const startedAt = performance.now();
    const answer = await this.request('GET', '/v1/credentials?profile=ops-dev');
    return { status: answer.status, elapsedMs: performance.now() - startedAt, sameCredentials: answer.text === this.bystanderAnswer };
  }

  close(): Promise<void> {
    return this.harness.close();
  }
}

async function expectOk(answer: Promise<AgentResponse>, what: string): Promise<AgentResponse> {
  const response = await answer;
  if (response.status !== 200) throw new Error(`${what} answered ${response.status}: ${response.text}`);
  return response;
}
