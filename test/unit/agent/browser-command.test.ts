import { describe, expect, it } from 'vitest';
import { browserCommand, type BrowserHost } from '../../../main/agent/browser-command';
import { isLatchkeyError } from '../../../main/core/errors';
import { programOnPath } from '../../../main/agent/program-on-path';

/** A launch link as guarded-browser.ts hands it over: loopback http, a path, nothing else. */
const LINK = 'http://127.0.0.1:50123/launch/3q2-7Xk_9Zp';

/** A WSL whose PATH holds exactly `programs` (name to path). */
function wsl(programs: Record<string, string>): BrowserHost {
  return { platform: 'linux', wsl: true, findProgram: (name) => programs[name] };
}

describe('browserCommand', () => {
  it.each<[string, BrowserHost, [string, string[]]]>([
    ['linux_uses_xdg_open', { platform: 'linux', wsl: false, findProgram: () => '/usr/bin/wslview' }, ['xdg-open', [LINK]]],
    ['macos_uses_open', { platform: 'darwin', wsl: false, findProgram: () => undefined }, ['open', [LINK]]],
    ['windows_uses_rundll32_not_cmd', { platform: 'win32', wsl: false, findProgram: () => undefined }, ['rundll32', ['url.dll,FileProtocolHandler', LINK]]],
    ['wsl_prefers_wslview', wsl({ wslview: '/usr/bin/wslview', 'explorer.exe': '/mnt/c/WINDOWS/explorer.exe' }), ['/usr/bin/wslview', [LINK]]],
    ['wsl_falls_back_to_explorer_on_path', wsl({ 'explorer.exe': '/mnt/c/WINDOWS/explorer.exe' }), ['/mnt/c/WINDOWS/explorer.exe', [LINK]]],
    ['wsl_finds_explorer_without_windows_on_path', wsl({ '/mnt/c/Windows/explorer.exe': '/mnt/c/Windows/explorer.exe' }), ['/mnt/c/Windows/explorer.exe', [LINK]]],
  ])('%s', (_name, host, expected) => {
    expect(browserCommand(host, LINK)).toEqual(expected);
  });

  it('says what to do on a WSL with neither wslview nor explorer.exe', () => {
    expect(() => browserCommand(wsl({}), LINK)).toThrow(/neither wslview nor explorer\.exe\); open the sign-in address shown/);
  });

  it.each([
    ['a query with &, which Windows command lines split', 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH&x=1'],
    ['a double quote', 'http://127.0.0.1:50123/a"b'],
    ['a percent sign, which cmd and PowerShell expand', 'http://127.0.0.1:50123/%USERPROFILE%'],
    ['a caret, cmd escape character', 'http://127.0.0.1:50123/a^b'],
  ])('refuses on WSL a URL with %s, before looking for an opener', (_what, url) => {
    let looked = false;
    const host: BrowserHost = { platform: 'linux', wsl: true, findProgram: () => ((looked = true), '/usr/bin/wslview') };
    let thrown: unknown;
    try {
      browserCommand(host, url);
    } catch (error) {
      thrown = error;
    }
    expect(isLatchkeyError(thrown, 'invalid_request')).toBe(true);
    expect(looked).toBe(false);
  });
});

describe('programOnPath', () => {
  const runnable = new Set(['/usr/bin/wslview', '/mnt/c/WINDOWS/explorer.exe']);
  const canRun = (path: string): boolean => runnable.has(path);

  it.each<[string, string, string | undefined, string | undefined]>([
    ['finds_the_first_folder_that_has_it', 'wslview', '/usr/local/bin:/usr/bin', '/usr/bin/wslview'],
    ['finds_a_windows_program_on_the_appended_path', 'explorer.exe', '/usr/bin:/mnt/c/WINDOWS', '/mnt/c/WINDOWS/explorer.exe'],
    ['skips_relative_and_empty_entries', 'wslview', ':.:bin', undefined],
    ['is_undefined_without_path', 'wslview', undefined, undefined],
    ['takes_an_absolute_path_as_it_is', '/mnt/c/WINDOWS/explorer.exe', '', '/mnt/c/WINDOWS/explorer.exe'],
  ])('%s', (_name, program, pathVariable, expected) => {
    expect(programOnPath(program, pathVariable, canRun)).toBe(expected);
  });
});
