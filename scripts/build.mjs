// Builds every runtime target with esbuild: the CLI as one file, the Electron main
// process, the preload as one CommonJS file (sandboxed preloads cannot load ESM), and
// the renderer for the browser.
import { build } from 'esbuild';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';

const { version } = JSON.parse(await readFile('package.json', 'utf8'));

const common = {
  define: { __LATCHKEY_VERSION__: JSON.stringify(version) },
  bundle: true, sourcemap: 'linked', logLevel: 'warning', legalComments: 'none',
};
// Electron's Node is newer than the Node 20 floor, so node20 suits both.
const nodeTarget = { ...common, platform: 'node', target: 'node20', format: 'esm' };

await rm('dist', { recursive: true, force: true });
await Promise.all([
  build({
    ...nodeTarget,
    entryPoints: { 'cli/latchkey': 'main/cli/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({
    ...nodeTarget,
    entryPoints: { 'desktop/main': 'main/desktop/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    external: ['electron', '@github/keytar'],
  }),
  build({
    ...common,
    platform: 'browser',
    format: 'cjs',
    target: 'chrome120',
    entryPoints: { 'preload/preload': 'preload/preload.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
  build({
    ...common,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    entryPoints: { 'renderer/renderer': 'renderer/renderer.ts' },
    outdir: 'dist',
  }),
]);
await mkdir('dist/renderer', { recursive: true });
await cp('renderer/index.html', 'dist/renderer/index.html');
await cp('renderer/style.css', 'dist/renderer/style.css');
