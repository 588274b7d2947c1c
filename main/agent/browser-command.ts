import { LatchkeyError } from '../core/errors';

export interface BrowserHost {
  platform: NodeJS.Platform;
  /** This Linux is WSL (main/core/wsl-detection.ts): open the page in Windows' browser. */
  wsl: boolean;
  /** The path of an executable `name` on PATH, or undefined (program-on-path.ts). */
  findProgram: (name: string) => string | undefined;
}

/** Where Windows keeps explorer.exe, for a WSL whose PATH leaves Windows' folders out (`appendWindowsPath = false`). */
const WINDOWS_EXPLORER = '/mnt/c/Windows/explorer.exe';

/**
 * The program and arguments that open `url` (an http(s) URL, checked by the caller). On
 * Windows `rundll32 url.dll,FileProtocolHandler` rather than `cmd /c start`: cmd would read
 * the `&` between query parameters as a command separator.
 *
 * On WSL, wslview (wslu) where installed, which asks Windows for the default browser, else
 * explorer.exe, which opens a URL it is given in that browser. Both pass the URL through
 * Windows' command-line parsing (wslview by way of PowerShell), where `&`, `"`, `^`, `%`
 * and spaces can split or rewrite it; the launch links opened here (guarded-browser.ts)
 * are `http://127.0.0.1:PORT/<token>` with none of them, so any URL that has one is
 * refused rather than quoted for one parser and mangled by the next. That is also why no
 * query string is ever handed over: the sign-in's secrets stay behind the launch link.
 */
export function browserCommand(host: BrowserHost, url: string): [string, string[]] {
  if (host.platform === 'darwin') return ['open', [url]];
  if (host.platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  if (!host.wsl) return ['xdg-open', [url]];
  if (!/^https?:\/\/[A-Za-z0-9.:[\]/_~-]+$/.test(url)) {
    throw new LatchkeyError('invalid_request', 'On WSL only plain addresses are opened in the Windows browser; open the sign-in address shown instead.');
  }
  const wslview = host.findProgram('wslview');
  if (wslview !== undefined) return [wslview, [url]];
  const explorer = host.findProgram('explorer.exe') ?? host.findProgram(WINDOWS_EXPLORER);
  if (explorer !== undefined) return [explorer, [url]];
  throw new LatchkeyError('not_found', 'No way to open the Windows browser from WSL (neither wslview nor explorer.exe); open the sign-in address shown in your browser.');
}
