import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDesktopApp } from './desktop-app';

// The entry only wires: everything else lives in desktop-app.ts.
void runDesktopApp({
  argv: process.argv,
  env: process.env,
  platform: process.platform,
  execPath: process.execPath,
  mainDir: path.dirname(fileURLToPath(import.meta.url)),
  resourcesPath: process.resourcesPath,
});
