// Builds every runtime target with esbuild: the CLI (a lean entry plus lazy chunks), the
// Electron main process, the preload as one CommonJS file (sandboxed preloads cannot load
// ESM), and the renderer for the browser.
//   node scripts/build.mjs [--outdir DIR] [--only cli|npm-package]
// Tests build the CLI alone into a temporary directory with the same options; `npm pack`
// builds the npm package's contents (`prepack`, below).
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { chmod, copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { parseArgs, promisify } from 'node:util';

const { values: flags } = parseArgs({ options: { outdir: { type: 'string' }, only: { type: 'string' } } });
const out = flags.outdir ?? 'dist';

const { version } = JSON.parse(await readFile('package.json', 'utf8'));

const common = {
  define: { __LATCHKEY_VERSION__: JSON.stringify(version) },
  bundle: true, sourcemap: 'linked', logLevel: 'warning', legalComments: 'none',
};
// Electron's Node is newer than the Node 20 floor, so node20 suits both.
const nodeTarget = { ...common, platform: 'node', target: 'node20', format: 'esm' };
// got's CommonJS dependencies call require() for built-ins (http2), which an ESM bundle
// lacks; createRequire gives every file that bundles them one.
const requireShim = "import { createRequire as __latchkeyCreateRequire } from 'node:module';\nconst require = __latchkeyCreateRequire(import.meta.url);";

/**
 * The CLI in two builds. `latchkey.cjs` is one small self-contained CommonJS file that
 * answers the usual `credential_process` call itself (main/cli/fast-credential-process.ts):
 * the AWS CLI runs it before every command, and an ES module entry (Node sets up its ESM
 * loader for it), every extra file to resolve and compile, and every module loaded show
 * in its time (`npm run bench`). Everything else is `commands.mjs` (the full CLI; the
 * agent split off again, since only `latchkey agent` needs it), loaded by a URL computed
 * at run time, which esbuild leaves alone. The metafiles let the tests check both.
 */
function buildCli(dir, { forPackage = false } = {}) {
  // The npm package carries no source maps and no metafiles (package.json `files`): the
  // maps would point at sources it does not ship, and the metafiles are for the tests.
  const cliTarget = forPackage ? { ...nodeTarget, sourcemap: false } : nodeTarget;
  const saveMetafile = (name) => (result) => (forPackage ? undefined : writeFile(`${dir}/${name}`, JSON.stringify(result.metafile)));
  return [
    build({
      ...cliTarget,
      format: 'cjs',
      entryPoints: { latchkey: 'main/cli/main.ts' },
      outdir: dir,
      outExtension: { '.js': '.cjs' },
      // A function, so the URL is made only when commands.mjs is loaded, not on every call.
      banner: { js: "#!/usr/bin/env node\nconst latchkeyEntryUrl = () => require('node:url').pathToFileURL(__filename).href;" },
      metafile: true,
    })
      .then(saveMetafile('metafile-latchkey.json'))
      // Runnable as `dist/cli/latchkey.cjs` and through `npm link`, as its #! line says.
      .then(() => chmod(`${dir}/latchkey.cjs`, 0o755)),
    build({
      ...cliTarget,
      entryPoints: { commands: 'main/cli/run-cli.ts' },
      outdir: dir,
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      outExtension: { '.js': '.mjs' },
      banner: { js: requireShim },
      external: ['@github/keytar'],
      metafile: true,
    }).then(saveMetafile('metafile-commands.json')),
  ];
}

/**
 * The native `latchkey` client (native/latchkey, standard library only, so `--offline`
 * always builds it) at `<dir>/bin/latchkey`, beside the Node CLI it hands over to when no
 * agent answers (`../cli/latchkey.cjs`). Cargo keeps its own build cache in
 * native/latchkey/target, so a rebuild without changes takes a moment.
 */
async function buildNative(dir) {
  const manifest = 'native/latchkey/Cargo.toml';
  await promisify(execFile)('cargo', ['build', '--release', '--offline', '--quiet', '--manifest-path', manifest], { maxBuffer: 16 * 1024 * 1024 });
  const name = process.platform === 'win32' ? 'latchkey.exe' : 'latchkey';
  await mkdir(`${dir}/bin`, { recursive: true });
  await copyFile(`native/latchkey/target/release/${name}`, `${dir}/bin/${name}`);
}

/**
 * What `npm pack` ships (package.json `prepack`): the Node CLI, which runs the agent too,
 * on any platform Node and keytar's prebuilds run on. Not the native client: it would be
 * built for the packing machine's OS, CPU and libc only, while one tarball must install
 * anywhere; it is a speed-up that a source checkout builds (README). The Electron main
 * process is removed, because npm always packs the file package.json's `main` names
 * (Electron's entry), whatever `files` says.
 */
if (flags.only === 'npm-package') {
  await Promise.all(['cli', 'desktop'].map((name) => rm(`${out}/${name}`, { recursive: true, force: true })));
  await Promise.all(buildCli(`${out}/cli`, { forPackage: true }));
  process.exit(0);
}
if (flags.only === 'cli') {
  await rm(`${out}/cli`, { recursive: true, force: true });
  await Promise.all([...buildCli(`${out}/cli`), buildNative(out)]);
  process.exit(0);
}
await rm(out, { recursive: true, force: true });
await Promise.all([
  ...buildCli(`${out}/cli`),
  buildNative(out),
  build({
    ...nodeTarget,
    entryPoints: { 'desktop/main': 'main/desktop/main.ts' },
    outdir: out,
    outExtension: { '.js': '.mjs' },
    banner: { js: requireShim },
    external: ['electron', '@github/keytar'],
  }),
  build({
    ...common,
    platform: 'browser',
    format: 'cjs',
    target: 'chrome120',
    entryPoints: { 'preload/preload': 'preload/preload.ts' },
    outdir: out,
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
  build({
    ...common,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    entryPoints: { 'renderer/renderer': 'renderer/renderer.ts' },
    outdir: out,
  }),
]);
await mkdir(`${out}/renderer`, { recursive: true });
await cp('renderer/index.html', `${out}/renderer/index.html`);
await cp('renderer/style.css', `${out}/renderer/style.css`);
