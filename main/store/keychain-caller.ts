import { isLatchkeyError } from '../core/errors';
import { keychainCallError, keychainStillBlockedError, keychainTimeoutError } from './keychain-errors';

export interface KeychainCallerOptions {
  timeoutMs: number;
  platform: NodeJS.Platform;
}

/**
 * Runs keytar calls with a deadline. keytar runs each call on a libuv pool thread (four by
 * default, shared with file I/O and DNS) and cannot cancel it, so a call stuck on an unlock
 * prompt keeps its thread after we give up. While one is stuck, further calls fail at once
 * instead of stacking more stuck threads until the whole process stops doing file I/O.
 */
export class KeychainCaller {
  private stuckCalls = 0;

  constructor(private readonly options: KeychainCallerOptions) {}

  async call<T>(run: () => Promise<T>): Promise<T> {
    const { timeoutMs, platform } = this.options;
    if (this.stuckCalls > 0) throw keychainStillBlockedError(platform);
    let timer: ReturnType<typeof setTimeout> | undefined;
    // keytar throws synchronously for an empty name; treat that like any rejection.
    const pending = new Promise<T>((resolve) => resolve(run()));
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        this.trackStuck(pending);
        reject(keychainTimeoutError(timeoutMs, platform));
      }, timeoutMs);
    });
    try {
      return await Promise.race([pending, deadline]);
    } catch (error) {
      if (isLatchkeyError(error)) throw error;
      throw keychainCallError(error, platform);
    } finally {
      clearTimeout(timer);
    }
  }

  private trackStuck(pending: Promise<unknown>): void {
    this.stuckCalls += 1;
    // The late outcome is of no use any more, but it must be observed (no unhandled
    // rejection) and it frees the keychain for new calls.
    pending.then(
      () => this.release(),
      () => this.release(),
    );
  }

  private release(): void {
    this.stuckCalls -= 1;
  }
}
