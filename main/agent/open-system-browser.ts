import { spawn } from 'node:child_process';
import { LatchkeyError } from '../core/errors';
import { browserCommand, type BrowserHost } from './browser-command';

/**
 * Opens `url` in the person's browser, detached so the agent never waits on it. Only
 * http(s) URLs are passed on: the URL comes from AWS and the config, and a `file:` or
 * custom-scheme URL handed to `open`/`xdg-open` could start any program.
 */
export function openSystemBrowser(host: BrowserHost): (url: string) => Promise<void> {
  return (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return Promise.reject(new LatchkeyError('invalid_request', 'The sign-in URL is not a valid URL.'));
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      return Promise.reject(new LatchkeyError('invalid_request', 'Only http and https URLs are opened in the browser.'));
    }
    let command: string;
    let args: string[];
    try {
      [command, args] = browserCommand(host, parsed.href);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { detached: true, stdio: 'ignore', windowsHide: true });
      child.once('error', reject);
      child.once('spawn', () => {
        child.unref();
        resolve();
      });
    });
  };
}
