import { randomBytes } from 'node:crypto';
import { chmod, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { assertTrustedDirectory } from './trusted-path';

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
  const tempPath = join(directory, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
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
}
