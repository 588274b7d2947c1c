// Builds every runtime target with esbuild: the CLI (a lean entry plus lazy chunks), the Electron main
// process, the preload as one CommonJS file (sandboxed preloads cannot load ESM), and
// the renderer for the browser.
import { build } from 'esbuild';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';

const { version } = JSON.parse(await readFile('package.json', 'utf8'));

const common = {
  define: { __LATCHKEY_VERSION__: JSON.stringify(version) },
  bundle: true, sourcemap: 'linked', logLevel: 'warning', legalComments: 'none',
};
// Electron's Node is newer than the Node 20 floor, so node20 suits both.
const nodeTarget = { ...common, platform: 'node', target: 'node20', format: 'esm' };

await rm('dist', { recursive: true, force: true });
await Promise.all([
  // The CLI: `credential-process` runs before every AWS CLI command, so the entry file
  // holds only what that path needs; every other command is an `import()`, which with
  // splitting on becomes its own chunk, loaded only when that command runs. The metafile
  // lets test/unit/cli check that got, keytar and ini stay out of the entry's static graph.
  build({
    ...nodeTarget,
    entryPoints: { latchkey: 'main/cli/main.ts' },
    outdir: 'dist/cli',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    // got's CommonJS dependencies call require() for built-ins (http2), which an ESM
    // bundle lacks; createRequire gives every chunk one. node:module is already loaded
    // by Node's own ESM loader, so the fast path pays nothing for it.
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __latchkeyCreateRequire } from 'node:module';\nconst require = __latchkeyCreateRequire(import.meta.url);",
    },
    external: ['@github/keytar'],
    metafile: true,
  }).then((result) => writeFile('dist/cli/metafile.json', JSON.stringify(result.metafile))),
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
