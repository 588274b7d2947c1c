import { Menu, Tray, nativeImage, nativeTheme, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { join } from 'node:path';
import type { Disposable } from '../core/lifecycle';
import { trayIconFile, type PanelTheme } from '../core/tray-icon-files';
import { sameTrayModel, type TrayAction, type TrayMenuItem, type TrayModel, type TrayState } from '../core/tray-model';

export interface TrayControllerOptions {
  /** The folder holding assets/tray's PNGs. */
  iconDir: string;
  platform: NodeJS.Platform;
  onAction: (action: TrayAction) => void;
  /** A click on the icon itself (Windows; Linux and macOS open the menu instead). */
  onClick?: () => void;
  /** Windows only: the taskbar's theme (windows-taskbar-theme.ts reads the registry). */
  readTaskbarTheme: () => Promise<PanelTheme>;
}

/**
 * Renders a TrayModel. `setContextMenu` runs only when the model differs from the last
 * one (UX.md: rebuild only when state changes): the model never counts down, so a quiet
 * hour costs no rebuild, and on Linux a rebuild while the menu is open would close it.
 */
export class TrayController implements Disposable {
  private readonly tray: Tray;
  private current: TrayModel | undefined;
  /** Until the registry answers, Windows 10's default: a dark taskbar. */
  private panel: PanelTheme = 'unknown';
  private panelReads = 0;
  private readonly onThemeUpdated = (): void => void this.readPanel();

  constructor(private readonly options: TrayControllerOptions) {
    this.tray = new Tray(this.icon('signed-out'));
    if (options.onClick !== undefined) this.tray.on('click', options.onClick);
    // The icon follows the panel, not the app theme. Only Windows needs telling: macOS
    // tints template images itself, and the Linux icon reads on any panel. Chromium
    // watches the registry key that holds the taskbar's theme and announces a change as
    // `updated`, the cue to read it again.
    if (options.platform === 'win32') {
      nativeTheme.on('updated', this.onThemeUpdated);
      void this.readPanel();
    }
  }

  /** Returns whether anything was redrawn. */
  render(model: TrayModel): boolean {
    if (sameTrayModel(this.current, model)) return false;
    const previous = this.current;
    this.current = model;
    if (previous?.state !== model.state) this.tray.setImage(this.icon(model.state));
    if (previous?.tooltip !== model.tooltip) this.tray.setToolTip(model.tooltip);
    if (previous === undefined || JSON.stringify(previous.menu) !== JSON.stringify(model.menu)) {
      this.tray.setContextMenu(Menu.buildFromTemplate(model.menu.map((item) => this.toElectron(item))));
    }
    return true;
  }

  /**
   * Electron flips a checkbox item's tick on click by itself; when the OS then refuses
   * the change, the next render must rebuild the menu from the model even if it is equal.
   */
  forgetMenu(): void {
    if (this.current !== undefined) this.current = { ...this.current, menu: [] };
  }

  dispose(): void {
    nativeTheme.removeListener('updated', this.onThemeUpdated);
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }

  private async readPanel(): Promise<void> {
    const read = ++this.panelReads;
    let panel: PanelTheme;
    try {
      panel = await this.options.readTaskbarTheme();
    } catch {
      // reg.exe could not say: Electron's own reading of the same value, which may lag
      // behind a change until its next `updated`, is the best left.
      panel = nativeTheme.shouldUseDarkColorsForSystemIntegratedUI ? 'dark' : 'light';
    }
    // A later read started meanwhile knows better; a destroyed tray takes no image.
    if (read !== this.panelReads || this.tray.isDestroyed() || panel === this.panel) return;
    this.panel = panel;
    this.tray.setImage(this.icon(this.current?.state ?? 'signed-out'));
  }

  private icon(state: TrayState): NativeImage {
    const file = trayIconFile(state, this.options.platform, this.panel);
    const image = nativeImage.createFromPath(join(this.options.iconDir, file.name));
    if (file.template) image.setTemplateImage(true);
    return image;
  }

  private toElectron(item: TrayMenuItem): MenuItemConstructorOptions {
    if (item.type === 'separator') return { type: 'separator' };
    const action = item.action;
    return {
      type: item.submenu !== undefined ? 'submenu' : item.type,
      label: item.label,
      enabled: item.enabled,
      ...(item.type === 'checkbox' ? { checked: item.checked ?? false } : {}),
      ...(item.submenu !== undefined ? { submenu: item.submenu.map((child) => this.toElectron(child)) } : {}),
      ...(action !== undefined ? { click: () => this.options.onAction(action) } : {}),
    };
  }
}
