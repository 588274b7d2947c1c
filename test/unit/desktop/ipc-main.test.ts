import { afterEach, describe, expect, it, vi, type Mock } from 'vitest';
import { BRIDGE_EVENT_CHANNEL, BRIDGE_INVOKE_METHODS, bridgeInvokeChannel, type BridgeInvokeMethod } from '../../../main/core/bridge';
import { Emitter } from '../../../main/core/emitter';
import { LatchkeyError } from '../../../main/core/errors';
import type { Disposable } from '../../../main/core/lifecycle';
import { forwardBridgeEvents, registerBridgeHandlers, type BridgeHandlers } from '../../../main/desktop/ipc-main';
import { electronFake, FakeFrame, FakeWebContents } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

const RENDERER_URL = 'latchkey-app://app/index.html';

function setup() {
  const contents = new FakeWebContents();
  const handlers = Object.fromEntries(BRIDGE_INVOKE_METHODS.map((m) => [m, vi.fn(async (...args: unknown[]) => ({ method: m, args }))])) as Record<
    BridgeInvokeMethod,
    Mock<(...args: unknown[]) => Promise<unknown>>
  >;
  const trusted = {
    webContents: () => contents as never,
    isTrustedUrl: (url: string) => url.split('#')[0] === RENDERER_URL,
  };
  registration = registerBridgeHandlers(handlers satisfies BridgeHandlers, trusted);
  return { contents, handlers, trusted };
}

let registration: Disposable | undefined;
afterEach(async () => {
  await registration?.dispose();
  registration = undefined;
});

function invoke(method: string, event: unknown, ...args: unknown[]): Promise<unknown> {
  const handler = electronFake.ipcMain.handlers.get(bridgeInvokeChannel(method as never));
  if (!handler) throw new Error(`no handler for ${method}`);
  return handler(event, ...args) as Promise<unknown>;
}

describe('registerBridgeHandlers', () => {
  it('registers one handler per contract method and removes them on dispose', async () => {
    setup();
    expect([...electronFake.ipcMain.handlers.keys()].sort()).toEqual(BRIDGE_INVOKE_METHODS.map((m) => bridgeInvokeChannel(m)).sort());
    await registration?.dispose();
    registration = undefined;
    expect(electronFake.ipcMain.handlers.size).toBe(0);
  });

  it('runs the handler for our top frame showing our page', async () => {
    const { contents, handlers } = setup();
    await expect(invoke('startSignIn', { sender: contents, senderFrame: contents.mainFrame }, 'corp', 'pkce')).resolves.toEqual({ method: 'startSignIn', args: ['corp', 'pkce'] });
    expect(handlers.startSignIn).toHaveBeenCalledWith('corp', 'pkce');
  });

  it.each([
    ['foreign_url', (c: FakeWebContents) => ({ sender: c, senderFrame: Object.assign(new FakeFrame('https://evil.example/'), { processId: 1, routingId: 1 }) })],
    ['subframe_with_our_url', (c: FakeWebContents) => ({ sender: c, senderFrame: Object.assign(new FakeFrame(RENDERER_URL, 1, 7), { parent: c.mainFrame }) })],
    ['navigated_away_frame_is_null', (c: FakeWebContents) => ({ sender: c, senderFrame: null })],
    ['other_web_contents', () => ({ sender: new FakeWebContents(), senderFrame: new FakeFrame(RENDERER_URL) })],
    ['other_file_url', (c: FakeWebContents) => ({ sender: c, senderFrame: new FakeFrame('file:///tmp/evil.html') })],
  ])('refuses %s before any handler runs', async (_name, event) => {
    const { contents, handlers } = setup();
    await expect(invoke('copyUserCode', event(contents), 'corp')).rejects.toThrow(/"code":"forbidden"/);
    expect(handlers.copyUserCode).not.toHaveBeenCalled();
  });

  it('refuses everything once the window is gone', async () => {
    const { contents } = setup();
    contents.destroyed = true;
    await expect(invoke('listSessions', { sender: contents, senderFrame: contents.mainFrame })).rejects.toThrow(/forbidden/);
  });

  it('returns a LatchkeyError as code and message only, without a stack', async () => {
    const { contents, handlers } = setup();
    handlers.signOut.mockRejectedValueOnce(new LatchkeyError('usage_error', 'No session named "x" in the AWS config.'));
    const error = (await invoke('signOut', { sender: contents, senderFrame: contents.mainFrame }, 'x').catch((e: unknown) => e)) as Error;
    expect(JSON.parse(error.message)).toEqual({ code: 'usage_error', message: 'No session named "x" in the AWS config.' });
    expect(error.stack).toBe('');
  });

  it('hides the details of an unexpected error', async () => {
    const { contents, handlers } = setup();
    handlers.listSessions.mockRejectedValueOnce(new Error('EACCES /home/ann/secret'));
    const error = (await invoke('listSessions', { sender: contents, senderFrame: contents.mainFrame }).catch((e: unknown) => e)) as Error;
    expect(JSON.parse(error.message).code).toBe('internal_error');
    expect(error.message).not.toContain('secret');
  });
});

describe('forwardBridgeEvents', () => {
  it('sends every event to the window on the event channel, and stops on dispose', () => {
    const contents = new FakeWebContents();
    const source = new Emitter<never>();
    const forwarding = forwardBridgeEvents({ onEvent: (l) => source.on(l) }, { webContents: () => contents as never, isTrustedUrl: () => true });
    const event = { type: 'show-prompt', session: 'corp' } as never;
    source.fire(event);
    void forwarding.dispose();
    source.fire(event);
    expect(contents.sent).toEqual([[BRIDGE_EVENT_CHANNEL, event]]);
  });
});
