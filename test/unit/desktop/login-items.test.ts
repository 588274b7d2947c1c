import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LoginItems } from '../../../main/desktop/login-items';
import { electronFake } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-autostart-'));
  electronFake.app.getLoginItemSettings.mockReset().mockReturnValue({ openAtLogin: false, wasOpenedAtLogin: false });
  electronFake.app.setLoginItemSettings.mockReset();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function linux(env: Record<string, string> = {}) {
  return new LoginItems({ platform: 'linux', env: { XDG_CONFIG_HOME: join(dir, 'config'), ...env }, homeDir: join(dir, 'home'), execPath: '/opt/Latchkey/latchkey' });
}

describe('Start at login on Linux (XDG autostart)', () => {
  it('writes the entry, reads it back as on, and removes it', async () => {
    const items = linux({ APPIMAGE: '/home/ann/My Apps/Latchkey.AppImage' });
    const file = join(dir, 'config', 'autostart', 'latchkey.desktop');
    expect(await items.isEnabled()).toBe(false);
    await items.setEnabled(true);
    expect(await readFile(file, 'utf8')).toContain('Exec="/home/ann/My Apps/Latchkey.AppImage" --hidden\n');
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    expect(await items.isEnabled()).toBe(true);
    await items.setEnabled(false);
    expect(await items.isEnabled()).toBe(false);
    await expect(stat(file)).rejects.toThrow();
    await items.setEnabled(false); // removing twice is fine
  });

  it('defaults to ~/.config/autostart without XDG_CONFIG_HOME (and ignores a relative one)', async () => {
    const items = new LoginItems({ platform: 'linux', env: { XDG_CONFIG_HOME: 'relative/config' }, homeDir: join(dir, 'home'), execPath: '/opt/Latchkey/latchkey' });
    expect(items.autostartFile()).toBe(join(dir, 'home', '.config', 'autostart', 'latchkey.desktop'));
    await items.setEnabled(true);
    expect(await readFile(join(dir, 'home', '.config', 'autostart', 'latchkey.desktop'), 'utf8')).toContain('Exec=/opt/Latchkey/latchkey --hidden');
  });

  it('reads an entry switched off in the desktop settings as off', async () => {
    const items = linux();
    await mkdir(join(dir, 'config', 'autostart'), { recursive: true });
    await writeFile(items.autostartFile(), '[Desktop Entry]\nExec=latchkey\nX-GNOME-Autostart-enabled=false\n');
    expect(await items.isEnabled()).toBe(false);
  });

  it('never calls Electron login items', async () => {
    await linux().setEnabled(true);
    expect(electronFake.app.setLoginItemSettings).not.toHaveBeenCalled();
  });
});

describe('Start at login on macOS and Windows (app login items)', () => {
  it.each([
    ['darwin', true, { openAtLogin: true }],
    ['darwin', false, { openAtLogin: false }],
    ['win32', true, { openAtLogin: true, args: ['--hidden'] }],
    ['win32', false, { openAtLogin: false, args: ['--hidden'] }],
  ] as const)('%s set %s', async (platform, enabled, settings) => {
    await new LoginItems({ platform, env: {}, homeDir: dir, execPath: 'x' }).setEnabled(enabled);
    expect(electronFake.app.setLoginItemSettings).toHaveBeenCalledWith(settings);
  });

  it.each([
    ['darwin', undefined],
    ['win32', { args: ['--hidden'] }],
  ] as const)('%s reads the real state', async (platform, query) => {
    electronFake.app.getLoginItemSettings.mockReturnValue({ openAtLogin: true, wasOpenedAtLogin: false });
    expect(await new LoginItems({ platform, env: {}, homeDir: dir, execPath: 'x' }).isEnabled()).toBe(true);
    if (query === undefined) expect(electronFake.app.getLoginItemSettings).toHaveBeenCalledWith();
    else expect(electronFake.app.getLoginItemSettings).toHaveBeenCalledWith(query);
  });

  it('knows it was started at login: --hidden, or macOS wasOpenedAtLogin', () => {
    expect(new LoginItems({ platform: 'linux', env: {}, homeDir: dir, execPath: 'x' }).startedAtLogin(['latchkey', '--hidden'])).toBe(true);
    expect(new LoginItems({ platform: 'linux', env: {}, homeDir: dir, execPath: 'x' }).startedAtLogin(['latchkey'])).toBe(false);
    electronFake.app.getLoginItemSettings.mockReturnValue({ openAtLogin: true, wasOpenedAtLogin: true });
    expect(new LoginItems({ platform: 'darwin', env: {}, homeDir: dir, execPath: 'x' }).startedAtLogin(['Latchkey'])).toBe(true);
  });
});
