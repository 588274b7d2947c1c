import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/emulator';
import { HttpTransport } from '../../../main/aws/http-transport';
import { OidcClient } from '../../../main/aws/oidc-client';
import { PortalClient } from '../../../main/aws/portal-client';
import type { RetryTiming } from '../../../main/aws/with-retries';
import { EmulatorAdmin, type CallCounts } from '../../support/emulator-admin';
import { EmulatorDrivenClock } from '../../support/emulator-driven-clock';

export type { CallCounts };

export interface HarnessOptions {
  timing?: Partial<RetryTiming>;
  random?: () => number;
}

/** The emulator plus OIDC and portal clients pointed at it; `close()` stops all of it. */
export class EmulatorHarness {
  readonly clock: EmulatorDrivenClock;
  readonly emulatorAdmin: EmulatorAdmin;
  readonly transport: HttpTransport;
  readonly oidc: OidcClient;
  readonly portal: PortalClient;

  private constructor(readonly emulator: Emulator, options: HarnessOptions) {
    this.emulatorAdmin = new EmulatorAdmin(emulator.baseUrl);
    this.clock = new EmulatorDrivenClock(this.emulatorAdmin);
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

  admin(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    return this.emulatorAdmin.call(method, path, body);
  }

  calls(): Promise<CallCounts> {
    return this.emulatorAdmin.calls();
  }

  advanceSeconds(seconds: number): Promise<void> {
    return this.emulatorAdmin.advanceSeconds(seconds);
  }

  async close(): Promise<void> {
    this.transport.close();
    await this.emulator.close();
  }
}
