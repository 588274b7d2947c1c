/** Replaced at build time by esbuild's `define`; tests and tsc see the fallback. */
declare const __LATCHKEY_VERSION__: string | undefined;

export const LATCHKEY_VERSION: string =
  typeof __LATCHKEY_VERSION__ === 'string' ? __LATCHKEY_VERSION__ : '0.0.0-dev';
