import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { BRIDGE_EVENT_CHANNEL, BRIDGE_INVOKE_METHODS, bridgeInvokeChannel, type BridgeEvent, type BridgeInvokeMethod } from '../core/bridge';
import { isLatchkeyError } from '../core/errors';
import { toDisposable, type Disposable } from '../core/lifecycle';
import { silentLogger, type Logger } from '../core/logger';

/**
 * The handlers behind `window.latchkey`. Arguments arrive as `unknown`: they come from
 * the page, and the controller validates them (SessionsController does).
 */
export type BridgeHandlers = { [M in BridgeInvokeMethod]: (...args: unknown[]) => Promise<unknown> };

/** Who may call: our window's top frame, showing our own page. */
export interface TrustedRenderer {
  /** The status window's webContents, or undefined while there is no window. */
  webContents(): WebContents | undefined;
  /** The renderer's file URL (or the dev server URL) compared without query and hash. */
  isTrustedUrl(url: string): boolean;
}

/**
 * The one place IPC handlers are registered (STYLE.md rule 3): every channel of the
 * contract, each behind the same sender check. A message from another window, from an
 * iframe, or from our window after it navigated somewhere else is refused before any
 * handler runs (Electron security checklist: "Validate the sender of all IPC messages").
 */
export function registerBridgeHandlers(handlers: BridgeHandlers, trusted: TrustedRenderer, logger: Logger = silentLogger): Disposable {
  const channels = BRIDGE_INVOKE_METHODS.map((method) => {
    const channel = bridgeInvokeChannel(method);
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      if (!isTrustedSender(event, trusted)) {
        logger.warn('Refused an IPC call from an untrusted frame', { channel });
        throw pageError('forbidden', 'This page may not use Latchkey.');
      }
      try {
        return await handlers[method](...args);
      } catch (error) {
        if (!isLatchkeyError(error)) logger.error('IPC handler failed', { channel, message: error instanceof Error ? error.message : String(error) });
        throw toPageError(error);
      }
    });
    return channel;
  });
  return toDisposable(() => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  });
}

/** Sends every bridge event to the window, if there is one and it is alive. */
export function forwardBridgeEvents(source: { onEvent(listener: (event: BridgeEvent) => void): Disposable }, trusted: TrustedRenderer): Disposable {
  return source.onEvent((event) => {
    const contents = trusted.webContents();
    if (contents !== undefined && !contents.isDestroyed()) contents.send(BRIDGE_EVENT_CHANNEL, event);
  });
}

export function isTrustedSender(event: IpcMainInvokeEvent, trusted: TrustedRenderer): boolean {
  // Null once the frame navigated away or was destroyed: whatever sent this is gone.
  const frame = event.senderFrame;
  const contents = trusted.webContents();
  if (frame === null || contents === undefined || contents.isDestroyed() || event.sender !== contents) return false;
  const top = contents.mainFrame;
  const isTopFrame = frame.parent === null && frame.processId === top.processId && frame.routingId === top.routingId;
  return isTopFrame && trusted.isTrustedUrl(frame.url);
}

/**
 * Electron passes only an Error's `message` to the page (ipcMain.handle docs), so the
 * stable code travels inside it as JSON: the page finds `{"code":..,"message":..}` after
 * Electron's "Error invoking remote method" prefix. No stack, no cause, no other fields.
 */
function toPageError(error: unknown): Error {
  if (isLatchkeyError(error)) return pageError(error.code, error.message);
  return pageError('internal_error', 'Something went wrong in Latchkey; details are in its log.');
}

function pageError(code: string, message: string): Error {
  const error = new Error(JSON.stringify({ code, message }));
  error.stack = '';
  return error;
}
