import { BrowserWindow, session, type WebContents } from 'electron';
import type { Disposable } from '../core/lifecycle';
import type { TrustedRenderer } from './ipc-main';
import { RENDERER_PAGE_URL, serveRenderer } from './renderer-protocol';

/** An in-memory session of its own: nothing persists, and its handlers touch no other web contents. */
export const STATUS_WINDOW_PARTITION = 'latchkey-status';

export interface StatusWindowOptions {
  preloadPath: string;
  /** dist/renderer: the files the window's own scheme serves (renderer-protocol.ts). */
  rendererDir: string;
  /** While quitting, closing really closes; otherwise it hides (the app lives in the tray). */
  isQuitting: () => boolean;
}

/**
 * The prompt and sessions window. Created on first show, then hidden rather than closed.
 * Hardened per Electron's security checklist: isolated sandboxed renderer without Node,
 * no new windows, no navigation, every permission refused, a strict CSP, and the page
 * from a scheme of its own rather than file://.
 */
export class StatusWindow implements TrustedRenderer, Disposable {
  private window: BrowserWindow | undefined;
  private loaded: Promise<void> | undefined;
  private readonly trustedUrl = new URL(RENDERER_PAGE_URL);
  /** Registered once on the window's session, which outlives each window (it is created after the app is ready). */
  private readonly served: Disposable;

  constructor(private readonly options: StatusWindowOptions) {
    this.served = serveRenderer(session.fromPartition(STATUS_WINDOW_PARTITION), options.rendererDir);
  }

  webContents(): WebContents | undefined {
    const window = this.window;
    return window === undefined || window.isDestroyed() ? undefined : window.webContents;
  }

  isTrustedUrl(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    return parsed.protocol === this.trustedUrl.protocol && parsed.host === this.trustedUrl.host && parsed.pathname === this.trustedUrl.pathname;
  }

  /** Visible and focused: the person sees whatever happens, so no notification is needed. */
  isWatching(): boolean {
    const window = this.window;
    return window !== undefined && !window.isDestroyed() && window.isVisible() && window.isFocused();
  }

  isVisible(): boolean {
    const window = this.window;
    return window !== undefined && !window.isDestroyed() && window.isVisible();
  }

  /** Brings the window forward (only ever on a person's request: a click, a second launch). Resolves once the page is loaded. */
  async show(): Promise<void> {
    const window = this.ensureWindow();
    await this.loaded;
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  dispose(): void {
    const window = this.window;
    this.window = undefined;
    if (window !== undefined && !window.isDestroyed()) window.destroy();
    this.served.dispose();
  }

  private ensureWindow(): BrowserWindow {
    if (this.window !== undefined && !this.window.isDestroyed()) return this.window;
    const window = new BrowserWindow({
      width: 420,
      height: 560,
      show: false,
      title: 'Latchkey',
      webPreferences: {
        preload: this.options.preloadPath, // eng-disable PRELOAD_JS_CHECK (reviewed: docs/security.md)
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        // A middle click must not open links in new windows (Electron security checklist).
        disableBlinkFeatures: 'Auxclick',
        partition: STATUS_WINDOW_PARTITION,
      },
    });
    hardenWebContents(window.webContents);
    window.on('close', (event) => {
      if (this.options.isQuitting()) return;
      event.preventDefault();
      window.hide();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = undefined;
    });
    this.window = window;
    // A failed load leaves a blank window; the log has Electron's own message.
    this.loaded = window.loadURL(RENDERER_PAGE_URL).catch(() => undefined);
    return window;
  }
}

/** Everything a page could use to leave our renderer or reach the OS is switched off here. */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // The page has no links of its own to follow; a navigation means something injected one.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}
