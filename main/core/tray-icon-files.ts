import type { TrayState } from './tray-model';

/**
 * The colour of the panel behind the tray icon, as far as the platform says: Windows
 * tells its taskbar's theme apart from the apps' theme; macOS tints template images by
 * itself; no Linux desktop tells an app the colour of its panel.
 */
export type PanelTheme = 'dark' | 'light' | 'unknown';

export interface TrayIconFile {
  /** A file name in assets/tray (scripts/make-tray-icons.mjs draws them all). */
  name: string;
  /** macOS: a template image, which the menu bar tints for its own appearance. */
  template: boolean;
}

/**
 * The icon the tray loads for `state`:
 * - macOS: `<state>Template.png`; nativeImage picks up the `@2x` file beside it by itself.
 * - Windows: a multi-size .ico with a white glyph on a dark taskbar, a black one on a
 *   light taskbar (the taskbar has a theme of its own, apart from the apps' theme).
 * - Linux: `<state>-panel.png`, a white glyph with a dark outline, because the panel's
 *   colour is unknown: GNOME's top bar is dark whatever the app theme, Plasma 6's panel
 *   is light by default, and a theme may change either.
 */
export function trayIconFile(state: TrayState, platform: string, panel: PanelTheme): TrayIconFile {
  if (platform === 'darwin') return { name: `${state}Template.png`, template: true };
  // Unknown counts as dark: Windows 10's default taskbar, and its only one before version 1903.
  if (platform === 'win32') return { name: `${state}-on-${panel === 'light' ? 'light' : 'dark'}.ico`, template: false };
  return { name: `${state}-panel.png`, template: false };
}
