import type { LatchkeyBridge } from '../main/core/bridge';
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
  void new App(bridge).start();
} else {
  // Opened outside the app (a browser, a broken preload): say so instead of a blank page.
  const message = byId('sessions-message');
  message.textContent = 'This page works only inside the Latchkey app.';
  message.hidden = false;
}
