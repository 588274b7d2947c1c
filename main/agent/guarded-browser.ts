import { resolveOidcEndpoint, resolvePortalEndpoint, resolveSigninEndpoint } from '../aws/endpoints';
import { consolePartition } from '../core/console/console-urls';
import { LatchkeyError } from '../core/errors';
import { allowedExternalHosts, isAllowedExternalUrl, isLaunchLinkUrl, type SessionEndpoints } from '../core/external-url-policy';
import type { LaunchLinkRegistry } from '../core/launch-link-registry';
import type { Logger } from '../core/logger';

export interface GuardedBrowserOptions {
  /** The sessions as configured now, so an edited config applies at once. */
  sessions: () => readonly SessionEndpoints[] | Promise<readonly SessionEndpoints[]>;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  /** The launch sites of the sign-ins in flight (main/core/launch-link-registry.ts). */
  launchLinks: LaunchLinkRegistry;
  /** What actually opens the page: the system browser, or Electron's shell. */
  open: (url: string) => Promise<void>;
}

/**
 * Opens a sign-in page, given its URL, by opening a fresh one-shot launch link to it: the
 * page's URL carries the sign-in's secrets (state, code challenge, user code) and would be
 * on the command line of `xdg-open` and the browser, where every local user can read it.
 * Only https pages of the sign-ins in use are led to (main/core/external-url-policy.ts):
 * the device code's verification URL comes from the network, and a hostile proxy or
 * endpoint override would otherwise send the browser to a page of its choosing, dressed as
 * the AWS sign-in. The headless agent and the desktop app open every page through this.
 */
export function guardedBrowser(options: GuardedBrowserOptions): (url: string) => Promise<void> {
  return async (url) => {
    const allow = allowedExternalHosts(await options.sessions(), {
      oidc: (region) => resolveOidcEndpoint(region, options.env),
      portal: (region) => resolvePortalEndpoint(region, options.env),
      signin: (region) => resolveSigninEndpoint(consolePartition(region), options.env),
    });
    if (!isAllowedExternalUrl(url, allow)) {
      options.logger.warn('Refused to open a URL outside the sign-in hosts', { host: safeHost(url) });
      throw new LatchkeyError('forbidden', 'Latchkey opens only the AWS sign-in pages of your sessions in the browser.');
    }
    const link = options.launchLinks.mint(url);
    if (link === undefined || !isLaunchLinkUrl(link, (candidate) => options.launchLinks.isLive(candidate))) {
      throw new LatchkeyError('not_found', 'This sign-in has ended, so its page is not opened; start the sign-in again.');
    }
    await options.open(link);
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(not a URL)';
  }
}
