import type { BridgeEvent, LatchkeyBridge } from '../main/core/bridge';
import { ClockText } from '../main/core/clock-text';
import { App } from './app';
import { byId } from './dom';

declare global {
  interface Window {
    readonly latchkey?: LatchkeyBridge;
  }
}

const bridge = window.latchkey;
if (bridge) {
  byId('version').textContent = bridge.version;
  void startApp(bridge);
} else {
  // Opened outside the app (a browser, a broken preload): say so instead of a blank page.
  const message = byId('sessions-message');
  message.textContent = 'This page works only inside the Latchkey app.';
  message.hidden = false;
}

/**
 * The page's own locale is Chromium's UI language, which may differ from the regional
 * format the tray follows, so the main process says which to use (should it not answer,
 * times still show, in ClockText's default). Events sent meanwhile, such as a prompt
 * brought forward as the page loads, are kept for the App rather than lost.
 */
async function startApp(bridge: LatchkeyBridge): Promise<void> {
  const early: BridgeEvent[] = [];
  const stopKeeping = bridge.onEvent((event) => early.push(event));
  const locale = await bridge.clockLocale().catch(() => undefined);
  stopKeeping();
  await new App(bridge, new ClockText(locale)).start(early);
}
