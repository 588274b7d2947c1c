import { describe, expect, it } from 'vitest';
import { latchkeyCommand, type LatchkeyInstall } from '../../../main/desktop/latchkey-command';

const INSTALLED: Omit<LatchkeyInstall, 'platform' | 'resourcesPath'> = { packaged: true, mainDir: '/unused/dist/desktop', appImage: undefined };

describe('latchkeyCommand', () => {
  it.each([
    ['linux', '/opt/Latchkey/resources', '/opt/Latchkey/resources/bin/latchkey'],
    ['linux', '/home/ann/.local/opt/my latchkey/resources', '/home/ann/.local/opt/my latchkey/resources/bin/latchkey'],
    ['darwin', '/Applications/Dev Tools/Latchkey.app/Contents/Resources', '/Applications/Dev Tools/Latchkey.app/Contents/Resources/bin/latchkey'],
    ['win32', 'C:\\Users\\Ann Lee\\AppData\\Local\\Programs\\latchkey\\resources', 'C:\\Users\\Ann Lee\\AppData\\Local\\Programs\\latchkey\\resources\\bin\\latchkey.exe'],
  ] as const)('an installed app on %s runs the native client in resources/bin by its full path (%s)', (platform, resourcesPath, launcher) => {
    expect(latchkeyCommand({ ...INSTALLED, platform, resourcesPath })).toEqual([launcher]);
  });

  it('an AppImage run unextracted names the client on PATH: its own path is a mount that goes when it quits', () => {
    expect(latchkeyCommand({ ...INSTALLED, platform: 'linux', resourcesPath: '/tmp/.mount_LatchkAbC123/resources', appImage: '/home/ann/Latchkey.AppImage' })).toEqual(['latchkey']);
  });

  it.each([
    ['linux', '/home/ann/src/latch key/dist/desktop', '/home/ann/src/latch key/dist/cli/latchkey.cjs'],
    ['win32', 'C:\\src\\latch key\\dist\\desktop', 'C:\\src\\latch key\\dist\\cli\\latchkey.cjs'],
  ] as const)('a source checkout on %s runs Node on the CLI bundle beside dist/desktop', (platform, mainDir, cli) => {
    expect(latchkeyCommand({ platform, packaged: false, resourcesPath: '/electron/resources', mainDir, appImage: undefined })).toEqual(['node', cli]);
  });
});
