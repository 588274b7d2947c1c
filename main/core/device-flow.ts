import type { Clock } from './clock';
import { LatchkeyError, isLatchkeyError } from './errors';
import { DEVICE_CODE_GRANT, type OidcApi, type TokenResponse } from './identity-center-api';
import type { FlowLaunch, StartFlowLaunch } from './launch-links';
import { DEFAULT_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS, NETWORK_RETRY_MAX_MS, SLOW_DOWN_STEP_MS } from './time-windows';
import { sleepUnlessWoken, type Wakeup } from './wakeup';

/** What the CLI and the window render while a device-code sign-in runs. */
export type DeviceFlowEvent =
  | {
      type: 'code-issued';
      userCode: string;
      verificationUri: string;
      verificationUriComplete: string;
      expiresAtMs: number;
    }
  | { type: 'waiting'; nextPollAtMs: number; intervalMs: number }
  | { type: 'network-trouble'; retryAtMs: number; message: string }
  | { type: 'approved' }
  | { type: 'denied' }
  | { type: 'expired' }
  | { type: 'failed'; code: string; message: string };

export interface DeviceFlowOptions {
  oidc: OidcApi;
  clock: Clock;
  clientId: string;
  clientSecret: string;
  startUrl: string;
  signal?: AbortSignal;
  onEvent?: (event: DeviceFlowEvent) => void;
  /** "Retry now": ends a wait after network trouble early, never a wait the interval needs. */
  retryNow?: Wakeup;
  /**
   * Serves one-shot launch links to the complete verification URL, which carries the user
   * code: the browser is opened at a link, so the code reaches no command line. A link
   * fetched twice stops the flow (main/core/launch-links.ts). Without it, or when it
   * cannot start, no browser is opened for this code.
   */
  startLaunch?: StartFlowLaunch;
}

/**
 * RFC 8628: starts a device authorization and polls CreateToken until the user approves,
 * denies, or the code expires. Never polls faster than the interval in force (nor than
 * MIN_POLL_INTERVAL_MS, whatever the service asks), and every `slow_down` lengthens that
 * interval for the rest of the flow (section 3.5).
 */
export async function runDeviceFlow(options: DeviceFlowOptions): Promise<TokenResponse> {
  const { oidc, clock, clientId, clientSecret, signal } = options;
  const emit = options.onEvent ?? noEvent;
  throwIfAborted(signal);
  const authorization = await oidc.startDeviceAuthorization({ clientId, clientSecret, startUrl: options.startUrl });
  const expiresAtMs = clock.nowMs() + authorization.expiresIn * 1000;
  // Started before the code is announced: whoever opens the browser on that event asks it for a link.
  // Held as long as the code lives: that long, a browser may still come for the link.
  const launch = await startLaunch(options.startLaunch, authorization.verificationUriComplete, expiresAtMs - clock.nowMs());
  const stopped = new AbortController();
  const stop = (): void => stopped.abort();
  signal?.addEventListener('abort', stop, { once: true });
  if (signal?.aborted) stop();
  let misused: LatchkeyError | undefined;
  launch?.misuse.catch((error: unknown) => {
    misused = error instanceof LatchkeyError ? error : new LatchkeyError('cancelled', 'The sign-in was cancelled.');
    stopped.abort();
  });
  try {
    return await pollForToken({ ...options, signal: stopped.signal }, authorization, expiresAtMs, () => misused, emit);
  } catch (error) {
    if (misused === undefined) throw error;
    emit({ type: 'failed', code: misused.code, message: misused.message });
    throw misused;
  } finally {
    signal?.removeEventListener('abort', stop);
    await launch?.close();
  }
}

/** The polling; an approval seen after a link was fetched twice may be another user's and never counts. */
async function pollForToken(
  options: DeviceFlowOptions,
  authorization: { deviceCode: string; userCode: string; verificationUri: string; verificationUriComplete: string; interval: number },
  expiresAtMs: number,
  misused: () => LatchkeyError | undefined,
  emit: (event: DeviceFlowEvent) => void,
): Promise<TokenResponse> {
  const { oidc, clock, clientId, clientSecret, signal } = options;
  emit({
    type: 'code-issued',
    userCode: authorization.userCode,
    verificationUri: authorization.verificationUri,
    verificationUriComplete: authorization.verificationUriComplete,
    expiresAtMs,
  });

  let intervalMs = pollIntervalMs(authorization.interval);
  let waitMs = intervalMs;
  let networkFailures = 0;
  for (;;) {
    const pollAtMs = clock.nowMs() + waitMs;
    if (pollAtMs >= expiresAtMs) return expire(emit);
    // Waiting means AWS answered the last poll: after network trouble the state stays
    // until a poll gets through, so no one shows "waiting" while AWS is out of reach.
    if (networkFailures === 0) emit({ type: 'waiting', nextPollAtMs: pollAtMs, intervalMs });
    // Only the part of a backoff beyond the interval may be cut short: polling faster than
    // the interval earns slow_down.
    const mayRetryEarly = networkFailures > 0 && options.retryNow !== undefined && waitMs > intervalMs;
    if (mayRetryEarly && options.retryNow) {
      await sleepOrWake(clock, waitMs, intervalMs, options.retryNow, signal);
    } else {
      await sleepOrCancel(clock, waitMs, signal);
    }
    try {
      const token = await oidc.createToken({
        grantType: DEVICE_CODE_GRANT,
        clientId,
        clientSecret,
        deviceCode: authorization.deviceCode,
      });
      const reason = misused();
      if (reason !== undefined) throw reason;
      emit({ type: 'approved' });
      return token;
    } catch (error) {
      throwIfAborted(signal);
      if (!isLatchkeyError(error)) throw error;
      switch (error.code) {
        case 'authorization_pending':
          networkFailures = 0;
          waitMs = intervalMs;
          continue;
        case 'slow_down':
          intervalMs += SLOW_DOWN_STEP_MS;
          waitMs = intervalMs;
          continue;
        case 'expired_token':
          return expire(emit);
        case 'access_denied':
          emit({ type: 'denied' });
          throw new LatchkeyError('access_denied', 'The sign-in was declined in the browser; nothing was issued.');
        default:
          // An answer that could not be read ends nothing: polling again is what a poll is
          // for, and a code the unread answer did redeem is refused on the next poll.
          if (!error.retryable && error.code !== 'malformed_response') {
            emit({ type: 'failed', code: error.code, message: error.message });
            throw error;
          }
          networkFailures += 1;
          // Never below the interval (polling faster earns slow_down), doubling up to a cap.
          waitMs = Math.min(intervalMs * 2 ** networkFailures, Math.max(intervalMs, NETWORK_RETRY_MAX_MS));
          emit({ type: 'network-trouble', retryAtMs: clock.nowMs() + waitMs, message: error.message });
      }
    }
  }
}

/** The launch site, or none: a code can still be typed in by hand. */
async function startLaunch(start: StartFlowLaunch | undefined, target: string, holdMs: number): Promise<FlowLaunch | undefined> {
  if (start === undefined) return undefined;
  try {
    return await start({ target, holdMs });
  } catch {
    return undefined;
  }
}

/** The service's interval, or RFC 8628's default when it gives none, never under the floor. */
function pollIntervalMs(intervalSeconds: number): number {
  return intervalSeconds > 0 ? Math.max(intervalSeconds * 1000, MIN_POLL_INTERVAL_MS) : DEFAULT_POLL_INTERVAL_MS;
}

function expire(emit: (event: DeviceFlowEvent) => void): never {
  emit({ type: 'expired' });
  throw new LatchkeyError('expired_token', 'The sign-in code expired before it was approved; start the sign-in again.');
}

async function sleepOrCancel(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await clock.sleep(ms, signal);
  } catch (error) {
    throwIfAborted(signal);
    throw error;
  }
}

/** Sleeps `ms`, or only `minMs` when woken before; cancellation as for sleepOrCancel. */
async function sleepOrWake(clock: Clock, ms: number, minMs: number, wakeup: Wakeup, signal: AbortSignal | undefined): Promise<void> {
  const startedAtMs = clock.nowMs();
  const ended = await sleepUnlessWoken(clock, ms, wakeup, signal);
  throwIfAborted(signal);
  if (ended !== 'woken') return;
  const remainingMs = minMs - (clock.nowMs() - startedAtMs);
  if (remainingMs > 0) await sleepOrCancel(clock, remainingMs, signal);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LatchkeyError('cancelled', 'The sign-in was cancelled.');
}

function noEvent(): void {}
