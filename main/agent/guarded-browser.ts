import { resolveOidcEndpoint, resolvePortalEndpoint } from '../aws/endpoints';
import { LatchkeyError } from '../core/errors';
import { allowedExternalHosts, isAllowedExternalUrl, type SessionEndpoints } from '../core/external-url-policy';
import type { Logger } from '../core/logger';

export interface GuardedBrowserOptions {
  /** The sessions as configured now, so an edited config applies at once. */
  sessions: () => readonly SessionEndpoints[] | Promise<readonly SessionEndpoints[]>;
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  /** What actually opens the page: the system browser, or Electron's shell. */
  open: (url: string) => Promise<void>;
}

/**
 * Opens only https pages of the sign-ins in use (main/core/external-url-policy.ts). The
 * device code's verification URL comes from the network: a hostile proxy or endpoint
 * override would otherwise send the user's browser to a page of its choosing, dressed as
 * the AWS sign-in. The headless agent and the desktop app open every page through this.
 */
export function guardedBrowser(options: GuardedBrowserOptions): (url: string) => Promise<void> {
  return async (url) => {
    const allow = allowedExternalHosts(await options.sessions(), {
      oidc: (region) => resolveOidcEndpoint(region, options.env),
      portal: (region) => resolvePortalEndpoint(region, options.env),
    });
    if (!isAllowedExternalUrl(url, allow)) {
      options.logger.warn('Refused to open a URL outside the sign-in hosts', { host: safeHost(url) });
      throw new LatchkeyError('forbidden', 'Latchkey opens only the AWS sign-in pages of your sessions in the browser.');
    }
    await options.open(url);
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(not a URL)';
  }
}
