import type { Disposable } from './lifecycle';

/** A loopback server answering one sign-in's launch links (main/core/launch-links.ts). */
export interface LaunchSite extends Disposable {
  /** A fresh one-shot link to the sign-in page, or undefined once the sign-in has ended. */
  mint(): string | undefined;
  /** Whether `url` is one of its links that is live: minted, not fetched, its sign-in going on. */
  isLive(url: string): boolean;
}

/**
 * The launch sites of the sign-ins in flight, by the page they lead to. The sign-in flows
 * announce the page (the authorize URL, the complete verification URL); whatever opens
 * the browser (the agent, the desktop window's button) asks here for a link to it, and the
 * browser guard opens nothing but a live link (main/agent/guarded-browser.ts). It owns the
 * sites' lifetime: a site stays bound after its sign-in is decided, and dispose releases
 * every one still held.
 */
export class LaunchLinkRegistry implements Disposable {
  private readonly sites = new Map<string, LaunchSite>();
  private disposed = false;

  /** Makes `target` openable through `site` until the returned disposable runs (the site is gone). */
  add(target: string, site: LaunchSite): Disposable {
    if (this.disposed) {
      void site.dispose();
      return { dispose: () => undefined };
    }
    this.sites.set(target, site);
    return {
      dispose: () => {
        if (this.sites.get(target) === site) this.sites.delete(target);
      },
    };
  }

  /** A fresh link to `target`, or undefined when no sign-in in flight leads there. */
  mint(target: string): string | undefined {
    return this.sites.get(target)?.mint();
  }

  isLive(url: string): boolean {
    for (const site of this.sites.values()) if (site.isLive(url)) return true;
    return false;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const sites = [...this.sites.values()];
    this.sites.clear();
    await Promise.all(sites.map((site) => site.dispose()));
  }
}
