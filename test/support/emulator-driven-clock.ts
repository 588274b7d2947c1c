import type { Clock } from '../../main/core/clock';
import type { EmulatorAdmin } from './emulator-admin';

/**
 * A clock whose sleeps move the emulator's clock instead of waiting: backoff, throttling
 * windows and lifetimes pass at once, and Latchkey and the emulator stay in step.
 */
export class EmulatorDrivenClock implements Clock {
  readonly sleeps: number[] = [];
  private advancedMs = 0;

  constructor(private readonly admin: EmulatorAdmin) {}

  nowMs(): number {
    return Date.now() + this.advancedMs;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.advancedMs += ms;
    await this.admin.advanceSeconds(ms / 1000);
  }
}
