import { randomBytes } from 'node:crypto';
import { chmod, lstat, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { assertTrustedDirectory } from './trusted-path';

/**
 * A temporary file of ours older than this was left by a process killed mid-write (a
 * write takes milliseconds); a younger one may be another writer's in flight.
 */
export const STALE_TEMP_FILE_MS = 60_000;

/**
 * Replaces `filePath` with `text` so a reader (the AWS CLI, an editor) sees the old file
 * or the new one, never a torn one: a temporary file in the same directory (rename is
 * atomic only within one file system), fsync'd, given `mode`, renamed over the target.
 * The temporary file is created exclusively and the rename replaces a symlink at the
 * target rather than following it, so nothing planted at either name redirects the
 * write; the directory must be one no other user can change (trusted-path.ts).
 */
export async function writeFileAtomically(filePath: string, text: string, mode: number): Promise<void> {
  const name = basename(filePath);
  // Written in the directory as checked (its real path), not as the path spells it.
  const directory = assertTrustedDirectory(dirname(filePath), name) ?? dirname(filePath);
  const target = join(directory, name);
  const tempPath = join(directory, tempFileName(name, randomBytes(6).toString('hex')));
  try {
    const handle = await open(tempPath, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(tempPath, mode); // open's mode is narrowed by the umask; the old file's mode is what counts
    await rename(tempPath, target);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  await removeStaleTempFiles(directory, name);
}

function tempFileName(name: string, hex: string): string {
  return `.${name}.${hex}.tmp`;
}

/**
 * Removes what an earlier write of this file left when its process was killed between
 * creating the temporary file and the rename (SIGKILL, power loss). Nothing reads those
 * files, but they would pile up beside the user's config. Only regular files of exactly
 * our name pattern, past STALE_TEMP_FILE_MS, in a directory no other user can change.
 */
async function removeStaleTempFiles(directory: string, name: string): Promise<void> {
  const prefix = `.${name}.`;
  const isOurs = (entry: string): boolean => entry.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(entry.slice(prefix.length));
  const entries = await readdir(directory).catch(() => []);
  for (const entry of entries) {
    if (!isOurs(entry)) continue;
    const path = join(directory, entry);
    const stats = await lstat(path).catch(() => undefined);
    if (stats?.isFile() === true && Date.now() - stats.mtimeMs > STALE_TEMP_FILE_MS) await rm(path, { force: true });
  }
}
