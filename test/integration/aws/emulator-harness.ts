import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/emulator';
import type { Clock } from '../../../main/core/clock';
import { HttpTransport } from '../../../main/aws/http-transport';
import { OidcClient } from '../../../main/aws/oidc-client';
import { PortalClient } from '../../../main/aws/portal-client';
import type { RetryTiming } from '../../../main/aws/with-retries';

export type CallCounts = Record<
  'RegisterClient' | 'StartDeviceAuthorization' | 'CreateToken' | 'ListAccounts' | 'ListAccountRoles' | 'GetRoleCredentials' | 'Logout',
  number
>;

/**
 * A clock for the clients whose backoff sleeps move the emulator's clock instead of
 * waiting: throttling windows and code lifetimes pass at once and in step.
 */
export class EmulatorClock implements Clock {
  readonly sleeps: number[] = [];
  private advancedMs = 0;

  constructor(private readonly harness: EmulatorHarness) {}

  nowMs(): number {
    return Date.now() + this.advancedMs;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.advancedMs += ms;
    await this.harness.advanceSeconds(ms / 1000);
  }
}

export interface HarnessOptions {
  timing?: Partial<RetryTiming>;
  random?: () => number;
}

/** The emulator plus OIDC and portal clients pointed at it; `close()` stops all of it. */
export class EmulatorHarness {
  readonly clock: EmulatorClock;
  readonly transport: HttpTransport;
  readonly oidc: OidcClient;
  readonly portal: PortalClient;

  private constructor(readonly emulator: Emulator, options: HarnessOptions) {
    this.clock = new EmulatorClock(this);
    this.transport = new HttpTransport({
      baseUrl: emulator.baseUrl,
      env: {},
      clock: this.clock,
      random: options.random ?? (() => 0.9),
      timing: options.timing,
    });
    this.oidc = new OidcClient(this.transport);
    this.portal = new PortalClient(this.transport);
  }

  static async start(emulatorOptions: Omit<EmulatorOptions, 'port'> = {}, options: HarnessOptions = {}): Promise<EmulatorHarness> {
    const emulator = await startEmulator({ port: 0, seed: 'latchkey-aws-tests', ...emulatorOptions });
    return new EmulatorHarness(emulator, options);
  }

  async admin(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.emulator.baseUrl}/_emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator admin ${method} ${path} answered ${response.status}: ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  }

  async calls(): Promise<CallCounts> {
    return (await this.admin('GET', 'calls')) as CallCounts;
  }

  async advanceSeconds(seconds: number): Promise<void> {
    await this.admin('POST', 'clock', { advanceSeconds: seconds });
  }

  async close(): Promise<void> {
    this.transport.close();
    await this.emulator.close();
  }
}
