// A stand-in for the `electron` module, loaded through `vi.mock('electron', ...)`: the
// Electron binary cannot run here, so the adapters are exercised against these fakes and
// typechecked against electron's own .d.ts.
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
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
  mainFrame = new FakeFrame('latchkey-app://app/index.html');
  destroyed = false;
  windowOpenHandler: ((details: unknown) => unknown) | undefined;
  readonly sent: Array<[string, unknown]> = [];
  readonly session = {
    permissionRequestHandler: undefined as undefined | ((...args: unknown[]) => void),
    permissionCheckHandler: undefined as undefined | ((...args: unknown[]) => boolean),
    setPermissionRequestHandler(handler: (...args: unknown[]) => void) {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean) {
      this.permissionCheckHandler = handler;
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
  loadedUrl: string | undefined;
  constructor(public readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadFile(file: string): Promise<void> {
    this.loadedFile = file;
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
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

/** A session's protocol handlers, as `session.fromPartition(name).protocol` keeps them: one per scheme. */
export class FakeProtocol {
  readonly handlers = new Map<string, (request: Request) => Promise<Response>>();
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    if (this.handlers.has(scheme)) throw new Error(`The scheme ${scheme} is already handled`);
    this.handlers.set(scheme, handler);
  }
  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }
}

const partitions = new Map<string, { protocol: FakeProtocol }>();

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
  session: {
    partitions,
    fromPartition: (name: string) => {
      const known = partitions.get(name) ?? { protocol: new FakeProtocol() };
      partitions.set(name, known);
      return known;
    },
  },
  protocol: { registerSchemesAsPrivileged: vi.fn() },
  // As Electron's net.fetch on a file: URL: the bytes, or a rejection (net::ERR_FILE_NOT_FOUND) for a missing file or a directory.
  net: { fetch: vi.fn(async (url: string) => new Response(await readFile(fileURLToPath(url)))) },
  Tray: FakeTray,
  Notification: FakeNotification,
  Menu: { buildFromTemplate: vi.fn((template: unknown[]) => ({ template })) },
  nativeImage: {
    createFromPath: vi.fn((path: string) => ({ path, template: false, setTemplateImage(this: { template: boolean }, on: boolean) { this.template = on; } })),
  },
  nativeTheme: Object.assign(new EventEmitter(), { shouldUseDarkColors: false, shouldUseDarkColorsForSystemIntegratedUI: true }),
  powerMonitor: new EventEmitter(),
  app: {
    getLoginItemSettings: vi.fn(() => ({ openAtLogin: false, wasOpenedAtLogin: false })),
    setLoginItemSettings: vi.fn(),
  },
};
