import type { LatchkeyBridge } from '../main/core/bridge';

declare global {
  interface Window {
    readonly latchkey?: LatchkeyBridge;
  }
}

const versionSlot = document.getElementById('version');
if (versionSlot && window.latchkey) versionSlot.textContent = window.latchkey.version;
