import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Disposable } from '../core/lifecycle';
import type { Logger } from '../core/logger';

/** Editors write in bursts (temporary file, rename, chmod): one reload per burst. */
const SETTLE_MS = 200;

/**
 * Calls `onChange` shortly after the file at `filePath` changes, so a setting edited in
 * the AWS config (`latchkey_sync_aws_cache` turned on) takes effect at once rather than at
 * the next request. The directory is watched, not the file: editors replace a file by
 * renaming over it, which ends a watch on the file itself. A directory that cannot be
 * watched (missing, too many watches) is only logged: requests still read the file anew.
 */
export function watchConfigFile(filePath: string, onChange: () => void, logger: Logger): Disposable {
  const name = basename(filePath);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(filePath), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, SETTLE_MS);
      timer.unref();
    });
    watcher.on('error', (error) => {
      logger.debug('Stopped watching the AWS config for changes', { message: error.message });
      watcher?.close();
    });
  } catch (error) {
    logger.debug('Not watching the AWS config for changes', { message: error instanceof Error ? error.message : String(error) });
  }
  return {
    dispose: () => {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
