import type { LaunchLinkRegistry } from '../core/launch-link-registry';
import type { Logger } from '../core/logger';
import { CONSOLE_LINK_HOLD_MS } from '../core/time-windows';
import { startLaunchLinkServer } from '../net/launch-link-server';

export interface ConsoleOpenerOptions {
  launchLinks: LaunchLinkRegistry;
  /** The guarded browser (guarded-browser.ts): it opens a live launch link to an allowed page, nothing else. */
  openBrowser: (url: string) => Promise<void>;
  logger: Logger;
}

/**
 * Opens a console sign-in URL in the browser the way sign-in pages are opened: the
 * browser is handed a one-shot loopback link, never the URL, whose SigninToken would
 * otherwise be on the command line of `xdg-open` and the browser for every local user to
 * read. The link's server gives its port back after CONSOLE_LINK_HOLD_MS.
 */
export function consoleOpener(options: ConsoleOpenerOptions): (url: string) => Promise<void> {
  return async (url) => {
    const site = await startLaunchLinkServer({ target: url, holdMs: CONSOLE_LINK_HOLD_MS, registry: options.launchLinks });
    // A second fetch means another program read the link: the token is spent either way, so say so.
    site.misuse.catch(() => options.logger.warn('A console link was opened twice: another program on this machine may have read it'));
    try {
      await options.openBrowser(url);
    } catch (error) {
      await site.dispose();
      throw error;
    }
  };
}
