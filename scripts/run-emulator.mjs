// `npm run -s emulator -- [flags]`: bundles the emulator's entry with esbuild (a few
// milliseconds) and runs it, so the first stdout line is its base URL.
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';

const outfile = 'dist/emulator/emulator.mjs';
await build({
  entryPoints: ['test/emulator/cli.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outfile,
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
