import path from 'node:path';

export interface LatchkeyInstall {
  platform: NodeJS.Platform;
  /** `app.isPackaged`: an installed app rather than Electron run on a source checkout. */
  packaged: boolean;
  /** `process.resourcesPath`: where electron-builder.yml puts `bin/` (extraResources). */
  resourcesPath: string;
  /** The folder of the bundled main process (dist/desktop). */
  mainDir: string;
  /** The `APPIMAGE` variable, set while the app runs from an AppImage file. */
  appImage: string | undefined;
}

/**
 * The words that run the `latchkey` command of this app, for the lines the tray copies:
 * - installed: the native client electron-builder.yml puts in `resources/bin`
 *   (`latchkey.exe` on Windows), by its absolute path, so PATH need not hold it. That is
 *   the path setup-profiles writes too, when run through it (the relay names the client's
 *   own executable).
 * - an AppImage run without extracting it: its resources live in a mount under /tmp
 *   that is gone once the app quits, so no path into it lasts; the bare name stands for
 *   the extracted client README.md tells AppImage users to link onto PATH.
 * - a source checkout: Node on the CLI bundle beside dist/desktop, as `npm link` runs it.
 */
export function latchkeyCommand(install: LatchkeyInstall): string[] {
  const paths = install.platform === 'win32' ? path.win32 : path.posix;
  if (!install.packaged) return ['node', paths.join(install.mainDir, '..', 'cli', 'latchkey.cjs')];
  if (install.platform === 'linux' && install.appImage !== undefined && install.appImage !== '') return ['latchkey'];
  return [paths.join(install.resourcesPath, 'bin', install.platform === 'win32' ? 'latchkey.exe' : 'latchkey')];
}
