import type { Clock } from './clock';
import { LatchkeyError, isLatchkeyError } from './errors';
import type { IdentityCenterApis, RoleCredentials as IssuedRoleCredentials } from './identity-center-api';
import type { Disposable } from './lifecycle';
import type { Logger } from './logger';
import type { SessionTokens } from './session-tokens';
import { signedOut } from './session-tokens';
import type { SessionVault, StoredRoleCredentials } from './session-vault';
import type { SsoSessionSettings } from './sso-session-settings';
import { SingleFlight } from './single-flight';
import {
  CREDENTIALS_MIN_TTL_MS,
  CREDENTIALS_PREFETCH_LEAD_MS,
  CREDENTIALS_RENEW_MIN_INTERVAL_MS,
  RECENT_ROLE_USE_MS,
} from './time-windows';

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
 * Role credentials with at least CREDENTIALS_MIN_TTL_MS left (half their life, for ones
 * issued shorter than twice that; see minRemainingMs): from memory, then the keychain (a
 * restart costs no call), then one GetRoleCredentials shared by every concurrent caller.
 * Roles used recently are renewed in the background.
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
    const leftMs = credentials.expiresAtMs - this.options.clock.nowMs();
    return leftMs > 0 && leftMs > minRemainingMs(credentials);
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
    // Taken before the call, so the lifetime derived from it is never shorter than the real one.
    const obtainedAtMs = this.options.clock.nowMs();
    let response: IssuedRoleCredentials;
    try {
      response = await this.options.apis.portal(session.region).getRoleCredentials(accessToken, accountId, roleName);
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
    if (response.expiration <= this.options.clock.nowMs()) {
      throw new LatchkeyError(
        'malformed_response',
        `GetRoleCredentials returned credentials for role "${roleName}" in account ${accountId} that have already expired; check this computer's clock.`,
      );
    }
    return { accountId, roleName, ...response, expiresAtMs: response.expiration, obtainedAtMs };
  }

  private schedulePrefetch(target: Target, credentials: StoredRoleCredentials): void {
    const key = cacheKey(target.session.name, target.accountId, target.roleName);
    this.prefetches.get(key)?.abort();
    const controller = new AbortController();
    this.prefetches.set(key, controller);
    const { clock } = this.options;
    const dueInMs = renewalDueAtMs(credentials) - clock.nowMs();
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

/**
 * How much of their life credentials must keep to be handed out: CREDENTIALS_MIN_TTL_MS,
 * or half the life they were issued with when that is shorter. Requiring the full
 * window of credentials that never had it made every request fetch again; half still
 * leaves a caller minutes of use. Records from before obtainedAtMs was kept get the window.
 */
function minRemainingMs(credentials: StoredRoleCredentials): number {
  if (credentials.obtainedAtMs === undefined) return CREDENTIALS_MIN_TTL_MS;
  return Math.min(CREDENTIALS_MIN_TTL_MS, (credentials.expiresAtMs - credentials.obtainedAtMs) / 2);
}

/**
 * When to renew in the background: CREDENTIALS_PREFETCH_LEAD_MS (or half the fresh span,
 * if shorter) before they stop being fresh, but never sooner than
 * CREDENTIALS_RENEW_MIN_INTERVAL_MS after they were fetched, so no answer of the portal
 * can make renewal spin. A record without obtainedAtMs is renewed at most once this way:
 * the renewed one has it.
 */
function renewalDueAtMs(credentials: StoredRoleCredentials): number {
  const staleAtMs = credentials.expiresAtMs - minRemainingMs(credentials);
  const { obtainedAtMs } = credentials;
  if (obtainedAtMs === undefined) return staleAtMs - CREDENTIALS_PREFETCH_LEAD_MS;
  const leadMs = Math.min(CREDENTIALS_PREFETCH_LEAD_MS, (staleAtMs - obtainedAtMs) / 2);
  return Math.max(staleAtMs - leadMs, obtainedAtMs + CREDENTIALS_RENEW_MIN_INTERVAL_MS);
}

/** Session names may hold any character, so the name is quoted; account ids and role names cannot hold '"'. */
function sessionPrefix(session: string): string {
  return `${JSON.stringify(session)}/`;
}

function cacheKey(session: string, accountId: string, roleName: string): string {
  return `${sessionPrefix(session)}${accountId}/${roleName}`;
}
