import type { AccountDirectory, AccountListingProgress, AccountListingProgressListener, AccountWithRoles } from './account-directory';
import type { Clock } from './clock';
import type { SsoSessionSettings } from './sso-session-settings';
import { ACCOUNT_LISTING_REUSE_MS } from './time-windows';

export interface AccountListingOptions {
  /** List again even when a recent listing is kept (`--refresh`, the tray's Reload). */
  refresh?: boolean;
  onProgress?: AccountListingProgressListener;
}

interface KeptListing {
  key: string;
  accounts: AccountWithRoles[];
  listedAtMs: number;
}

interface RunningListing {
  key: string;
  generation: number;
  done: Promise<AccountWithRoles[]>;
  listeners: Set<AccountListingProgressListener>;
  latest?: AccountListingProgress;
}

/**
 * Each session's last account and role listing, kept for ACCOUNT_LISTING_REUSE_MS, and
 * at most one listing in flight per session: whoever asks meanwhile joins it and hears
 * its progress from where it is. A listing belongs to one sign-in: `forget` (a sign-in or
 * sign-out) drops what is kept, and a listing still running then is not kept either.
 */
export class AccountListings {
  private readonly kept = new Map<string, KeptListing>();
  private readonly running = new Map<string, RunningListing>();
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly directory: AccountDirectory,
    private readonly clock: Clock,
  ) {}

  list(session: SsoSessionSettings, options: AccountListingOptions = {}): Promise<AccountWithRoles[]> {
    const key = listingKey(session);
    const kept = this.kept.get(session.name);
    if (options.refresh !== true && kept?.key === key && this.clock.nowMs() - kept.listedAtMs < ACCOUNT_LISTING_REUSE_MS) {
      return Promise.resolve(kept.accounts);
    }
    const running = this.running.get(session.name);
    // A running listing is as fresh as a new one would be, so `refresh` joins it too.
    const joinable = running !== undefined && running.key === key && running.generation === this.generation(session.name);
    const listing = joinable ? running : this.start(session, key);
    const listener = options.onProgress;
    if (listener === undefined) return listing.done;
    if (listing.latest !== undefined) listener(listing.latest);
    listing.listeners.add(listener);
    return listing.done.finally(() => listing.listeners.delete(listener));
  }

  /**
   * The listing kept for the session, whatever its age, or undefined: the window shows it
   * at once rather than listing on every open, and names resolve against it.
   */
  latest(session: SsoSessionSettings): { accounts: AccountWithRoles[]; listedAtMs: number } | undefined {
    const kept = this.kept.get(session.name);
    if (kept === undefined || kept.key !== listingKey(session)) return undefined;
    return { accounts: kept.accounts, listedAtMs: kept.listedAtMs };
  }

  forget(session: string): void {
    this.kept.delete(session);
    this.generations.set(session, this.generation(session) + 1);
  }

  private start(session: SsoSessionSettings, key: string): RunningListing {
    const listing: RunningListing = { key, generation: this.generation(session.name), done: Promise.resolve([]), listeners: new Set() };
    listing.done = this.directory
      .list(session, (progress) => {
        listing.latest = progress;
        for (const listener of listing.listeners) listener(progress);
      })
      .then((accounts) => {
        if (listing.generation === this.generation(session.name)) this.kept.set(session.name, { key, accounts, listedAtMs: this.clock.nowMs() });
        return accounts;
      })
      .finally(() => {
        if (this.running.get(session.name) === listing) this.running.delete(session.name);
      });
    this.running.set(session.name, listing);
    return listing;
  }

  private generation(session: string): number {
    return this.generations.get(session) ?? 0;
  }
}

/** Another start URL or region under the same name is another directory. */
function listingKey(session: SsoSessionSettings): string {
  return `${session.startUrl}\u0000${session.region}`;
}
