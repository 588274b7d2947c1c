// A stand-in for the `electron` module, loaded through `vi.mock('electron', ...)`: the
// Electron binary cannot run here, so the adapters are exercised against these fakes and
// typechecked against electron's own .d.ts.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export class FakeFrame {
  parent: FakeFrame | null = null;
  constructor(
    public url: string,
    public processId = 1,
    public routingId = 1,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  mainFrame = new FakeFrame('file:///app/dist/renderer/index.html');
  destroyed = false;
  windowOpenHandler: ((details: unknown) => unknown) | undefined;
  readonly sent: Array<[string, unknown]> = [];
  readonly session = {
    permissionRequestHandler: undefined as undefined | ((...args: unknown[]) => void),
    permissionCheckHandler: undefined as undefined | ((...args: unknown[]) => boolean),
    headersHandler: undefined as undefined | ((details: unknown, callback: (response: unknown) => void) => void),
    setPermissionRequestHandler(handler: (...args: unknown[]) => void) {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean) {
      this.permissionCheckHandler = handler;
    },
    webRequest: {
      onHeadersReceived: (handler: (details: unknown, callback: (response: unknown) => void) => void) => {
        this.session.headersHandler = handler;
      },
    },
  };
  setWindowOpenHandler(handler: (details: unknown) => unknown): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  visible = false;
  focused = false;
  destroyed = false;
  loadedFile: string | undefined;
  constructor(public readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadFile(file: string): Promise<void> {
    this.loadedFile = file;
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loadedFile = url;
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  hide(): void {
    this.visible = false;
    this.focused = false;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = [];
  image: unknown;
  toolTip: string | undefined;
  menu: { template: unknown[] } | undefined;
  readonly setContextMenu = vi.fn((menu: { template: unknown[] }) => {
    this.menu = menu;
  });
  destroyed = false;
  constructor(image: unknown) {
    super();
    this.image = image;
    FakeTray.instances.push(this);
  }
  setImage(image: unknown): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification extends EventEmitter {
  static instances: FakeNotification[] = [];
  static isSupported(): boolean {
    return true;
  }
  shown = false;
  closed = false;
  constructor(public readonly options: Record<string, unknown>) {
    super();
    FakeNotification.instances.push(this);
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    this.closed = true;
    this.emit('close', {});
  }
}

const handlers = new Map<string, (...args: unknown[]) => unknown>();

export const electronFake = {
  ipcMain: {
    handlers,
    handle: vi.fn((channel: string, handler: (...args: unknown[]) => unknown) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  },
  BrowserWindow: FakeBrowserWindow,
  Tray: FakeTray,
  Notification: FakeNotification,
  Menu: { buildFromTemplate: vi.fn((template: unknown[]) => ({ template })) },
  nativeImage: {
    createFromPath: vi.fn((path: string) => ({ path, template: false, setTemplateImage(this: { template: boolean }, on: boolean) { this.template = on; } })),
  },
  nativeTheme: Object.assign(new EventEmitter(), { shouldUseDarkColors: false, shouldUseDarkColorsForSystemIntegratedUI: true }),
  app: {
    getLoginItemSettings: vi.fn(() => ({ openAtLogin: false, wasOpenedAtLogin: false })),
    setLoginItemSettings: vi.fn(),
  },
};
