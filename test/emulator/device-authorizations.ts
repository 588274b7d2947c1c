import type { ClientRegistration } from './clients';
import type { EmulatorClock } from './emulator-clock';
import type { IdSource } from './id-source';
import type { Lifetimes } from './lifetimes';
import { OidcError } from './wire-errors';

/** RFC 8628 section 3.5: each slow_down adds 5 seconds to the interval for that device code. */
const SLOW_DOWN_STEP_SECONDS = 5;
/**
 * Two polls sent exactly `interval` apart can arrive a little closer than that after
 * network and scheduling jitter; this much is forgiven so an honest client never
 * sees slow_down.
 */
const POLL_GAP_TOLERANCE_MS = 50;

export type Decision = 'pending' | 'approved' | 'denied';

interface DeviceAuthorization {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly clientId: string;
  readonly startUrl: string;
  readonly issuedIntervalSeconds: number;
  readonly expiresAtMs: number;
  requiredIntervalSeconds: number;
  decision: Decision;
  redeemed: boolean;
  lastPollAtMs: number | undefined;
  readonly gapsMs: number[];
}

export interface StartDeviceAuthorizationResponse {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresIn: number;
  interval: number;
}

export interface PollRecord {
  intervalSeconds: number;
  gapsMs: number[];
}

export type DecideResult = 'done' | 'unknown' | 'conflict';

export class DeviceAuthorizations {
  private readonly byDeviceCode = new Map<string, DeviceAuthorization>();
  private readonly byUserCode = new Map<string, DeviceAuthorization>();

  constructor(
    private readonly ids: IdSource,
    private readonly clock: EmulatorClock,
    private readonly lifetimes: Lifetimes,
    private readonly autoApprove: boolean,
  ) {}

  start(client: ClientRegistration, startUrl: string, verificationUri: string): StartDeviceAuthorizationResponse {
    const userCode = this.uniqueUserCode();
    const authorization: DeviceAuthorization = {
      deviceCode: this.ids.token('device-code', 48),
      userCode,
      clientId: client.clientId,
      startUrl,
      issuedIntervalSeconds: this.lifetimes.intervalSeconds,
      requiredIntervalSeconds: this.lifetimes.intervalSeconds,
      expiresAtMs: this.clock.nowMs() + this.lifetimes.deviceCodeSeconds * 1000,
      decision: this.autoApprove ? 'approved' : 'pending',
      redeemed: false,
      lastPollAtMs: undefined,
      gapsMs: [],
    };
    this.byDeviceCode.set(authorization.deviceCode, authorization);
    this.byUserCode.set(userCode, authorization);
    return {
      deviceCode: authorization.deviceCode,
      userCode,
      verificationUri,
      verificationUriComplete: `${verificationUri}?user_code=${encodeURIComponent(userCode)}`,
      expiresIn: this.lifetimes.deviceCodeSeconds,
      interval: authorization.issuedIntervalSeconds,
    };
  }

  /** Approve or deny by user code; unknown, expired and already-redeemed codes cannot be decided. */
  decide(userCode: string, decision: 'approved' | 'denied'): DecideResult {
    const authorization = this.byUserCode.get(normalizeUserCode(userCode));
    if (authorization === undefined || authorization.redeemed || this.isExpired(authorization)) return 'unknown';
    if (authorization.decision !== 'pending' && authorization.decision !== decision) return 'conflict';
    authorization.decision = decision;
    return 'done';
  }

  /** The decision state of a live user code, for the verification page. */
  lookup(userCode: string): Decision | undefined {
    const authorization = this.byUserCode.get(normalizeUserCode(userCode));
    if (authorization === undefined || authorization.redeemed || this.isExpired(authorization)) return undefined;
    return authorization.decision;
  }

  /**
   * One CreateToken poll. Returns normally only when the code is approved, and then
   * consumes it; every other state is the OIDC error AWS sends for it.
   */
  redeem(client: ClientRegistration, deviceCode: string): void {
    const authorization = this.byDeviceCode.get(deviceCode);
    if (authorization === undefined || authorization.clientId !== client.clientId) {
      throw new OidcError('invalid_grant', 'Invalid device code provided.');
    }
    const nowMs = this.clock.nowMs();
    const gapMs = authorization.lastPollAtMs === undefined ? undefined : nowMs - authorization.lastPollAtMs;
    authorization.lastPollAtMs = nowMs;
    if (gapMs !== undefined) authorization.gapsMs.push(gapMs);

    if (authorization.redeemed) throw new OidcError('invalid_grant', 'Device code has already been used.');
    if (this.isExpired(authorization)) throw new OidcError('expired_token', 'Device code has expired.');
    if (authorization.decision === 'denied') throw new OidcError('access_denied', 'The user denied the authorization request.');
    if (gapMs !== undefined && gapMs + POLL_GAP_TOLERANCE_MS < authorization.requiredIntervalSeconds * 1000) {
      authorization.requiredIntervalSeconds += SLOW_DOWN_STEP_SECONDS;
      throw new OidcError('slow_down', 'Client is polling too quickly.');
    }
    if (authorization.decision === 'pending') throw new OidcError('authorization_pending', 'Authorization is still pending.');
    authorization.redeemed = true;
  }

  pendingUserCodes(): string[] {
    return [...this.byUserCode.values()]
      .filter((a) => a.decision === 'pending' && !this.isExpired(a))
      .map((a) => a.userCode);
  }

  polls(): Record<string, PollRecord> {
    const result: Record<string, PollRecord> = {};
    for (const authorization of this.byUserCode.values()) {
      result[authorization.userCode] = {
        intervalSeconds: authorization.issuedIntervalSeconds,
        gapsMs: [...authorization.gapsMs],
      };
    }
    return result;
  }

  private isExpired(authorization: DeviceAuthorization): boolean {
    return this.clock.nowMs() >= authorization.expiresAtMs;
  }

  private uniqueUserCode(): string {
    for (;;) {
      const code = this.ids.userCode();
      if (!this.byUserCode.has(code)) return code;
    }
  }
}

/** People type codes in lower case and without the dash; accept what they mean. */
export function normalizeUserCode(input: string): string {
  const letters = input.toUpperCase().replace(/[^A-Z]/g, '');
  return letters.length === 8 ? `${letters.slice(0, 4)}-${letters.slice(4)}` : input.trim().toUpperCase();
}
