import { app } from 'electron';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AUTOSTART_FILE_NAME, HIDDEN_START_FLAG, autostartDesktopEntry } from '../core/autostart-desktop-entry';

export interface LoginItemsOptions {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  execPath: string;
}

/**
 * "Start at login", read from and written to the OS every time, never remembered: the
 * person can change it in System Settings, Task Manager or their desktop's autostart
 * panel, and the tray's checkbox must show the truth.
 *
 * - macOS: a login item for the app (`openAsHidden` is ignored since macOS 13, and the app
 *   is tray-only anyway: `wasOpenedAtLogin` tells it to keep the window closed).
 * - Windows: the Run key with `--hidden`; reading passes the same args, as Electron requires.
 * - Linux: `$XDG_CONFIG_HOME/autostart/latchkey.desktop` (Electron has no login items there).
 */
export class LoginItems {
  constructor(private readonly options: LoginItemsOptions) {}

  async isEnabled(): Promise<boolean> {
    if (this.options.platform === 'linux') return autostartEntryEnabled(this.autostartFile());
    if (this.options.platform === 'win32') return app.getLoginItemSettings({ args: [HIDDEN_START_FLAG] }).openAtLogin;
    return app.getLoginItemSettings().openAtLogin;
  }

  async setEnabled(enabled: boolean): Promise<void> {
    const { platform } = this.options;
    if (platform === 'linux') {
      await (enabled ? this.writeAutostartFile() : rm(this.autostartFile(), { force: true }));
      return;
    }
    if (platform === 'win32') {
      app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_START_FLAG] });
      return;
    }
    app.setLoginItemSettings({ openAtLogin: enabled });
  }

  /** True when this process was started by the login item: it stays in the tray. */
  startedAtLogin(argv: readonly string[]): boolean {
    if (argv.includes(HIDDEN_START_FLAG)) return true;
    return this.options.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
  }

  autostartFile(): string {
    const configured = this.options.env.XDG_CONFIG_HOME;
    // The XDG Base Directory spec ignores a relative XDG_CONFIG_HOME.
    const base = configured !== undefined && configured.startsWith('/') ? configured : join(this.options.homeDir, '.config');
    return join(base, 'autostart', AUTOSTART_FILE_NAME);
  }

  /** Written to a temporary name and renamed, so a crash never leaves half an entry that a session manager would run. */
  private async writeAutostartFile(): Promise<void> {
    const file = this.autostartFile();
    const content = autostartDesktopEntry({ execPath: this.options.execPath, appImagePath: this.options.env.APPIMAGE });
    await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, content, { mode: 0o644, flag: 'wx' });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}

/** The file exists and the desktop's autostart panel has not switched it off (GNOME and KDE write these keys). */
async function autostartEntryEnabled(path: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return false;
  }
  return !/^\s*(Hidden\s*=\s*true|X-GNOME-Autostart-enabled\s*=\s*false)\s*$/im.test(text);
}
