/** What the preload exposes to the renderer as `window.latchkey`; the one contract both sides type against. */
export interface LatchkeyBridge {
  readonly version: string;
}
