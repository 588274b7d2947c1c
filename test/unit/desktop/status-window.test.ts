import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RENDERER_CSP, StatusWindow } from '../../../main/desktop/status-window';
import { FakeBrowserWindow } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

let quitting = false;
let window: StatusWindow;
beforeEach(() => {
  FakeBrowserWindow.instances = [];
  quitting = false;
  window = new StatusWindow({ preloadPath: '/app/dist/preload/preload.cjs', rendererHtmlPath: '/app/dist/renderer/index.html', isQuitting: () => quitting });
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
    });
    expect(created.loadedFile).toBe('/app/dist/renderer/index.html');
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
    expect(session.permissionCheckHandler?.({}, 'clipboard-read', 'file://', {})).toBe(false);
  });

  it('sends the CSP as a response header too', async () => {
    const { session } = (await shown()).webContents;
    const callback = vi.fn();
    session.headersHandler?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [RENDERER_CSP] } });
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

  it('trusts only its own renderer file', () => {
    expect(window.isTrustedUrl('file:///app/dist/renderer/index.html')).toBe(true);
    expect(window.isTrustedUrl('file:///app/dist/renderer/index.html#prompt')).toBe(true);
    expect(window.isTrustedUrl('file:///app/dist/renderer/other.html')).toBe(false);
    expect(window.isTrustedUrl('https://app/dist/renderer/index.html')).toBe(false);
    expect(window.isTrustedUrl('not a url')).toBe(false);
  });
});
