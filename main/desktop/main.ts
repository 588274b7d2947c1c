import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { takeLauncherEnvironment } from '../core/launcher-environment';
import { runDesktopApp } from './desktop-app';

// The entry only wires: everything else lives in desktop-app.ts. The CLI launcher's
// variables mean nothing to the app, and must not reach the browser it opens.
takeLauncherEnvironment(process.env);
void runDesktopApp({
  argv: process.argv,
  env: process.env,
  platform: process.platform,
  execPath: process.execPath,
  mainDir: path.dirname(fileURLToPath(import.meta.url)),
  resourcesPath: process.resourcesPath,
});
