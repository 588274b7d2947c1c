import type { Clock } from './clock';
import { LatchkeyError, isLatchkeyError } from './errors';
import type { IdentityCenterApis } from './identity-center-api';
import type { Disposable } from './lifecycle';
import type { Logger } from './logger';
import type { SessionTokens } from './session-tokens';
import { signedOut } from './session-tokens';
import type { SessionVault, StoredRoleCredentials } from './session-vault';
import type { SsoSessionSettings } from './sso-session-settings';
import { SingleFlight } from './single-flight';
import { CREDENTIALS_MIN_TTL_MS, CREDENTIALS_PREFETCH_LEAD_MS, RECENT_ROLE_USE_MS } from './time-windows';

export interface RoleCredentialsOptions {
  vault: SessionVault;
  apis: IdentityCenterApis;
  tokens: SessionTokens;
  clock: Clock;
  logger: Logger;
}

interface Target {
  session: SsoSessionSettings;
  accountId: string;
  roleName: string;
}

/**
 * Role credentials with at least CREDENTIALS_MIN_TTL_MS left: from memory, then the
 * keychain (a restart costs no call), then one GetRoleCredentials shared by every
 * concurrent caller. Roles used recently are renewed in the background.
 */
export class RoleCredentials implements Disposable {
  private readonly memory = new Map<string, StoredRoleCredentials>();
  private readonly fetches = new SingleFlight<string, StoredRoleCredentials>();
  private readonly prefetches = new Map<string, AbortController>();
  private readonly lastUsedMs = new Map<string, number>();

  constructor(private readonly options: RoleCredentialsOptions) {}

  async get(session: SsoSessionSettings, accountId: string, roleName: string): Promise<StoredRoleCredentials> {
    const key = cacheKey(session.name, accountId, roleName);
    this.lastUsedMs.set(key, this.options.clock.nowMs());
    const cached = this.memory.get(key) ?? (await this.fromVault(key, session.name, accountId, roleName));
    const credentials = cached && this.fresh(cached) ? cached : await this.fetch({ session, accountId, roleName });
    this.schedulePrefetch({ session, accountId, roleName }, credentials);
    return credentials;
  }

  /** Drops what memory holds for a session (its records are wiped by SessionTokens). */
  forgetSession(session: string): void {
    const prefix = sessionPrefix(session);
    for (const key of [...this.memory.keys()]) if (key.startsWith(prefix)) this.memory.delete(key);
    for (const [key, controller] of this.prefetches) {
      if (key.startsWith(prefix)) {
        controller.abort();
        this.prefetches.delete(key);
      }
    }
  }

  dispose(): void {
    for (const controller of this.prefetches.values()) controller.abort();
    this.prefetches.clear();
  }

  private fresh(credentials: StoredRoleCredentials): boolean {
    return credentials.expiresAtMs - CREDENTIALS_MIN_TTL_MS > this.options.clock.nowMs();
  }

  private async fromVault(key: string, session: string, accountId: string, roleName: string): Promise<StoredRoleCredentials | undefined> {
    const stored = await this.options.vault.roleCredentials(session, accountId, roleName);
    if (stored) this.memory.set(key, stored);
    return stored;
  }

  private fetch(target: Target): Promise<StoredRoleCredentials> {
    const key = cacheKey(target.session.name, target.accountId, target.roleName);
    return this.fetches.run(key, async () => {
      const credentials = await this.callPortal(target);
      this.memory.set(key, credentials);
      await this.options.vault.saveRoleCredentials(target.session.name, credentials);
      return credentials;
    });
  }

  private async callPortal({ session, accountId, roleName }: Target): Promise<StoredRoleCredentials> {
    const accessToken = await this.options.tokens.accessToken(session);
    try {
      const response = await this.options.apis.portal(session.region).getRoleCredentials(accessToken, accountId, roleName);
      return { accountId, roleName, ...response, expiresAtMs: response.expiration };
    } catch (error) {
      if (isLatchkeyError(error, 'unauthorized')) {
        // The token is gone on AWS's side (signed out elsewhere, expired): say so once, do not retry.
        await this.options.tokens.markSignedOut(session.name, 'token-rejected');
        this.forgetSession(session.name);
        throw signedOut(session.name);
      }
      if (isLatchkeyError(error, 'forbidden') || isLatchkeyError(error, 'not_found')) {
        throw new LatchkeyError(
          error.code,
          `Role "${roleName}" in account ${accountId} is not available to session "${session.name}"; check the account and role with "latchkey accounts --session ${session.name}".`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  private schedulePrefetch(target: Target, credentials: StoredRoleCredentials): void {
    const key = cacheKey(target.session.name, target.accountId, target.roleName);
    this.prefetches.get(key)?.abort();
    const controller = new AbortController();
    this.prefetches.set(key, controller);
    const { clock } = this.options;
    const dueInMs = credentials.expiresAtMs - CREDENTIALS_MIN_TTL_MS - CREDENTIALS_PREFETCH_LEAD_MS - clock.nowMs();
    void clock
      .sleep(Math.max(0, dueInMs), controller.signal)
      .then(async () => {
        if (this.prefetches.get(key) !== controller) return;
        this.prefetches.delete(key);
        const lastUsed = this.lastUsedMs.get(key) ?? 0;
        if (clock.nowMs() - lastUsed > RECENT_ROLE_USE_MS) return;
        const renewed = await this.fetch(target);
        this.schedulePrefetch(target, renewed);
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        this.options.logger.warn('Background credential renewal failed', {
          session: target.session.name,
          accountId: target.accountId,
          roleName: target.roleName,
          code: isLatchkeyError(error) ? error.code : 'internal_error',
        });
      });
  }
}

/** Session names may hold any character, so the name is quoted; account ids and role names cannot hold '"'. */
function sessionPrefix(session: string): string {
  return `${JSON.stringify(session)}/`;
}

function cacheKey(session: string, accountId: string, roleName: string): string {
  return `${sessionPrefix(session)}${accountId}/${roleName}`;
}
