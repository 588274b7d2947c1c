import { Menu, Tray, nativeImage, nativeTheme, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { join } from 'node:path';
import type { Disposable } from '../core/lifecycle';
import { trayIconFile } from '../core/tray-icon-files';
import { sameTrayModel, type TrayAction, type TrayMenuItem, type TrayModel, type TrayState } from '../core/tray-model';

export interface TrayControllerOptions {
  /** The folder holding assets/tray's PNGs. */
  iconDir: string;
  platform: NodeJS.Platform;
  onAction: (action: TrayAction) => void;
  /** A click on the icon itself (Windows; Linux and macOS open the menu instead). */
  onClick?: () => void;
}

/**
 * Renders a TrayModel. `setContextMenu` runs only when the model differs from the last
 * one (UX.md: rebuild only when state changes): the model never counts down, so a quiet
 * hour costs no rebuild, and on Linux a rebuild while the menu is open would close it.
 */
export class TrayController implements Disposable {
  private readonly tray: Tray;
  private current: TrayModel | undefined;
  private readonly onThemeUpdated = (): void => this.refreshIcon();

  constructor(private readonly options: TrayControllerOptions) {
    this.tray = new Tray(this.icon('signed-out'));
    if (options.onClick !== undefined) this.tray.on('click', options.onClick);
    // Windows and Linux icons follow the taskbar's theme; macOS tints template images itself.
    nativeTheme.on('updated', this.onThemeUpdated);
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

  private refreshIcon(): void {
    if (this.current !== undefined && !this.tray.isDestroyed()) this.tray.setImage(this.icon(this.current.state));
  }

  private icon(state: TrayState): NativeImage {
    const file = trayIconFile(state, this.options.platform, nativeTheme.shouldUseDarkColors ? 'dark' : 'light');
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
