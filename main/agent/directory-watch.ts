import { watch, type FSWatcher } from 'node:fs';
import type { Disposable } from '../core/lifecycle';
import type { Logger } from '../core/logger';

/** Editors and the AWS CLI write in bursts (temporary file, rename, chmod): one call per burst and name. */
const SETTLE_MS = 200;

/**
 * Calls `onChange(name)` shortly after an entry of `directory` changes (name undefined
 * where the platform does not say which). The agent uses it to act on files others edit
 * as soon as they change: the AWS config (a setting turned on applies at once) and the
 * AWS CLI's SSO cache (`aws sso logout` removing a shared sign-in's file). A directory is
 * watched rather than a file because files are replaced by renaming over them, which ends
 * a watch on the file itself. A directory that cannot be watched (missing, too many
 * watches) is logged and gives undefined, so the caller may try again later: the files
 * are still read anew on every request.
 */
export function watchDirectory(directory: string, onChange: (name: string | undefined) => void, logger: Logger): Disposable | undefined {
  const timers = new Map<string, NodeJS.Timeout>();
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(directory, { persistent: false }, (_event, changed) => {
      const name = changed ?? undefined;
      const key = name ?? '';
      clearTimeout(timers.get(key));
      const timer = setTimeout(() => {
        timers.delete(key);
        onChange(name);
      }, SETTLE_MS);
      timer.unref();
      timers.set(key, timer);
    });
    watcher.on('error', (error) => {
      logger.debug('Stopped watching a directory for changes', { directory, message: error.message });
      watcher?.close();
    });
  } catch (error) {
    logger.debug('Not watching a directory for changes', { directory, message: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
  return {
    dispose: () => {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      watcher?.close();
    },
  };
}
