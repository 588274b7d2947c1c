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
 * - installed: the launcher electron-builder.yml puts in `resources/bin`, `latchkey.cmd`
 *   on Windows (the AWS clients start it without cmd.exe, which alone would find the
 *   `.cmd` from a bare name), by its absolute path, so PATH need not hold it. That is
 *   the path setup-profiles writes too, when run through that launcher.
 * - an AppImage run without extracting it: its resources live in a mount under /tmp
 *   that is gone once the app quits, so no path into it lasts; the bare name stands for
 *   the extracted launcher README.md tells AppImage users to link onto PATH.
 * - a source checkout: Node on the CLI bundle beside dist/desktop, as `npm link` runs it.
 */
export function latchkeyCommand(install: LatchkeyInstall): string[] {
  const paths = install.platform === 'win32' ? path.win32 : path.posix;
  if (!install.packaged) return ['node', paths.join(install.mainDir, '..', 'cli', 'latchkey.cjs')];
  if (install.platform === 'linux' && install.appImage !== undefined && install.appImage !== '') return ['latchkey'];
  return [paths.join(install.resourcesPath, 'bin', install.platform === 'win32' ? 'latchkey.cmd' : 'latchkey')];
}
