import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STATUS_WINDOW_PARTITION, StatusWindow } from '../../../main/desktop/status-window';
import { electronFake, FakeBrowserWindow } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

let quitting = false;
let window: StatusWindow;
beforeEach(() => {
  FakeBrowserWindow.instances = [];
  quitting = false;
  window = new StatusWindow({ preloadPath: '/app/dist/preload/preload.cjs', rendererDir: '/app/dist/renderer', isQuitting: () => quitting });
});
afterEach(() => window.dispose());

async function shown(): Promise<FakeBrowserWindow> {
  await window.show();
  const created = FakeBrowserWindow.instances[0];
  if (!created) throw new Error('no window');
  return created;
}

describe('the status window', () => {
  it('is created with every renderer hardening of the Electron security checklist', async () => {
    const created = await shown();
    expect(created.options.webPreferences).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      partition: STATUS_WINDOW_PARTITION,
    });
  });

  it('loads its page from its own scheme, never with loadFile (file:// has no extra privileges in the package)', async () => {
    const created = await shown();
    expect(created.loadedUrl).toBe('latchkey-app://app/index.html');
    expect(created.loadedFile).toBeUndefined();
  });

  it('serves that scheme on its own session only while it exists', () => {
    const { protocol } = electronFake.session.fromPartition(STATUS_WINDOW_PARTITION);
    expect([...protocol.handlers.keys()]).toEqual(['latchkey-app']);
    window.dispose();
    expect(protocol.handlers.size).toBe(0);
  });

  it('denies every new window', async () => {
    const created = await shown();
    expect(created.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-attach-webview'])('prevents %s', async (name) => {
    const created = await shown();
    const event = { preventDefault: vi.fn() };
    created.webContents.emit(name, event, 'https://evil.example/');
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('denies every permission request and check', async () => {
    const { session } = (await shown()).webContents;
    const callback = vi.fn();
    session.permissionRequestHandler?.({}, 'media', callback, {});
    session.permissionRequestHandler?.({}, 'openExternal', callback, {});
    expect(callback.mock.calls).toEqual([[false], [false]]);
    expect(session.permissionCheckHandler?.({}, 'clipboard-read', 'latchkey-app://app', {})).toBe(false);
  });

  it('hides on close, and closes for real while quitting', async () => {
    const created = await shown();
    const close = { preventDefault: vi.fn() };
    created.emit('close', close);
    expect(close.preventDefault).toHaveBeenCalled();
    expect(created.isVisible()).toBe(false);
    quitting = true;
    const finalClose = { preventDefault: vi.fn() };
    created.emit('close', finalClose);
    expect(finalClose.preventDefault).not.toHaveBeenCalled();
  });

  it('is created once and shown and focused on demand', async () => {
    await shown();
    await window.show();
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(window.isWatching()).toBe(true);
  });

  it.each([
    ['latchkey-app://app/index.html', true],
    ['latchkey-app://app/index.html#prompt', true],
    ['latchkey-app://app/other.html', false],
    ['latchkey-app://evil/index.html', false],
    ['file:///app/dist/renderer/index.html', false],
    ['https://app/index.html', false],
    ['not a url', false],
  ])('trusts only its own page: %s is %s', (url, trusted) => {
    expect(window.isTrustedUrl(url)).toBe(trusted);
  });
});
