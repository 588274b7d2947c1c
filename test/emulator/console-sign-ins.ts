import type { EmulatorClock } from './emulator-clock';
import type { IdSource } from './id-source';

/** AWS: a sign-in token is good for 15 minutes after getSigninToken issued it. */
export const SIGNIN_TOKEN_SECONDS = 15 * 60;

export interface SigninGrant {
  accountId: string;
  roleName: string;
  /** How long the console session lasts once the browser signs in. */
  sessionDurationSeconds: number;
  expiresAtMs: number;
}

/** One browser that followed `Action=login` to its destination, as a test asks about it. */
export interface ConsoleLogin {
  accountId: string;
  roleName: string;
  destination: string;
  issuer: string | null;
  sessionDurationSeconds: number;
}

/** Sign-in tokens the federation endpoint issued, and the console logins they were used for. */
export class ConsoleSignIns {
  private readonly grants = new Map<string, SigninGrant>();
  private readonly recorded: ConsoleLogin[] = [];

  constructor(
    private readonly ids: IdSource,
    private readonly clock: EmulatorClock,
  ) {}

  issue(grant: Omit<SigninGrant, 'expiresAtMs'>): string {
    const token = this.ids.token('signin-token', 96);
    this.grants.set(token, { ...grant, expiresAtMs: this.clock.nowMs() + SIGNIN_TOKEN_SECONDS * 1000 });
    return token;
  }

  /** The grant of a token that is known and unexpired. */
  redeem(token: string): SigninGrant | undefined {
    const grant = this.grants.get(token);
    if (grant === undefined || grant.expiresAtMs <= this.clock.nowMs()) return undefined;
    return grant;
  }

  record(login: ConsoleLogin): void {
    this.recorded.push({ ...login });
  }

  logins(): ConsoleLogin[] {
    return this.recorded.map((login) => ({ ...login }));
  }

  clearLogins(): void {
    this.recorded.length = 0;
  }
}
