import type { Clock } from './clock';
import { mapWithConcurrency } from './map-with-concurrency';
import { isLatchkeyError } from './errors';
import type { AccountInfo, IdentityCenterApis } from './identity-center-api';
import type { SessionTokens } from './session-tokens';
import { signedOut } from './session-tokens';
import type { SsoSessionSettings } from './sso-session-settings';
import { THROTTLE_BACKOFF_BASE_MS, THROTTLE_BACKOFF_MAX_MS } from './time-windows';

export interface AccountWithRoles extends AccountInfo {
  roles: string[];
}

/**
 * Four role listings at a time: enough to list hundreds of accounts in seconds, few
 * enough to stay under the portal's per-user rate limit most of the time.
 */
export const DISCOVERY_CONCURRENCY = 4;

/** Throttled calls are retried this many times on top of the HTTP client's own retries. */
export const DISCOVERY_THROTTLE_RETRIES = 6;

/** How far a listing has come: every account's roles are listed once `accountsListed` reaches `accountsTotal`. */
export interface AccountListingProgress {
  accountsListed: number;
  accountsTotal: number;
}

export type AccountListingProgressListener = (progress: AccountListingProgress) => void;

export interface AccountDirectoryOptions {
  apis: IdentityCenterApis;
  tokens: SessionTokens;
  clock: Clock;
}

/** Every account of a session with its roles, discovered with bounded concurrency and backoff on 429. */
export class AccountDirectory {
  constructor(private readonly options: AccountDirectoryOptions) {}

  /** `onProgress` hears once the accounts are known, then after each account's roles. */
  async list(session: SsoSessionSettings, onProgress: AccountListingProgressListener = () => undefined): Promise<AccountWithRoles[]> {
    const accessToken = await this.options.tokens.accessToken(session);
    const portal = this.options.apis.portal(session.region);
    try {
      const accounts = await this.withThrottleRetry(() => portal.listAccounts(accessToken));
      let accountsListed = 0;
      onProgress({ accountsListed, accountsTotal: accounts.length });
      return await mapWithConcurrency(accounts, DISCOVERY_CONCURRENCY, async (account) => {
        const roles = await this.withThrottleRetry(() => portal.listAccountRoles(accessToken, account.accountId));
        accountsListed += 1;
        onProgress({ accountsListed, accountsTotal: accounts.length });
        return { ...account, roles: roles.map((role) => role.roleName) };
      });
    } catch (error) {
      if (isLatchkeyError(error, 'unauthorized')) {
        await this.options.tokens.markSignedOut(session.name, 'token-rejected');
        throw signedOut(session.name);
      }
      throw error;
    }
  }

  private async withThrottleRetry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        if (!isLatchkeyError(error, 'throttled') || attempt >= DISCOVERY_THROTTLE_RETRIES) throw error;
        const ceiling = Math.min(THROTTLE_BACKOFF_BASE_MS * 2 ** attempt, THROTTLE_BACKOFF_MAX_MS);
        // Jittered, so parallel workers do not retry in lockstep.
        await this.options.clock.sleep(ceiling / 2 + Math.random() * (ceiling / 2));
      }
    }
  }
}
