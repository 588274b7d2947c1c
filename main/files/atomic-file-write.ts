import { randomBytes } from 'node:crypto';
import { chmod, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `filePath` with `text` so a reader (the AWS CLI, an editor) sees the old file
 * or the new one, never a torn one: a temporary file in the same directory (rename is
 * atomic only within one file system), fsync'd, given `mode`, renamed over the target.
 */
export async function writeFileAtomically(filePath: string, text: string, mode: number): Promise<void> {
  const tempPath = join(dirname(filePath), `.${basename(filePath)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tempPath, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(tempPath, mode); // open's mode is narrowed by the umask; the old file's mode is what counts
    await rename(tempPath, filePath);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}
