import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Puts a fake `xdg-open` first on this process's PATH (the agent under test runs here and
 * spawns `xdg-open` from its PATH): it runs `browserSource`, a Node module, with the URL
 * as its argument, as a browser would be started. Returns what puts PATH back.
 */
export async function installFakeXdgOpen(dir: string, browserSource: readonly string[]): Promise<() => void> {
  const browser = join(dir, 'fake-browser.mjs');
  await writeFile(browser, [...browserSource, ''].join('\n'));
  await writeFile(join(dir, 'xdg-open'), `#!/bin/sh\nexec "${process.execPath}" "${browser}" "$@"\n`);
  await chmod(join(dir, 'xdg-open'), 0o755);
  const savedPath = process.env['PATH'];
  process.env['PATH'] = `${dir}:${savedPath ?? ''}`;
  return () => {
    process.env['PATH'] = savedPath;
  };
}
