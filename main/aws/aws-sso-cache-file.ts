import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatAwsSsoCacheEntry, parseAwsSsoCacheEntry, type AwsSsoCacheEntry } from '../core/aws-sso-cache-entry';
import { LatchkeyError } from '../core/errors';
import { systemErrorCode } from '../core/system-error-code';
import { writeFileAtomically } from '../files/atomic-file-write';
import { readRegularFile } from '../files/read-regular-file';

/** An entry is well under 4 KiB (two tokens, a client secret, URLs); anything far larger was not written by an AWS tool. */
const AWS_SSO_CACHE_FILE_MAX_BYTES = 64 * 1024;

/**
 * `<home>/.aws/sso/cache/<sha1(session name)>.json`, where botocore's SSOTokenProvider
 * and the JS SDK's fromSSO look for an sso-session's token (hex SHA-1 of the UTF-8 name).
 */
export function awsSsoCacheFilePath(homeDir: string, sessionName: string): string {
  const key = createHash('sha1').update(sessionName, 'utf8').digest('hex');
  return join(homeDir, '.aws', 'sso', 'cache', `${key}.json`);
}

/**
 * Makes `~/.aws/sso` and `~/.aws/sso/cache` fit to hold tokens, or throws `config_error`
 * naming the directory. The cache holds bearer tokens, and whoever can write a directory
 * can plant, swap or remove what is in it:
 *
 * - one of this user's that group or others may write is tightened to 0700 (a umask
 *   mistake, not an attack; botocore creates them 0755, which is left alone: the files
 *   themselves are 0600);
 * - one that belongs to another user, directly or through a symlink, is refused: it is
 *   not ours to change, and nothing read from it can be trusted nor written to it kept.
 *
 * A directory that does not exist passes: there is nothing to read, and the writer
 * creates it 0700. The check and the chmod act on one open descriptor, so the directory
 * cannot be swapped between them. Where there are no uids (Windows) it does nothing.
 */
export async function secureAwsSsoCacheDirectory(homeDir: string): Promise<void> {
  if (typeof process.getuid !== 'function') return;
  const uid = process.getuid();
  for (const directory of [join(homeDir, '.aws', 'sso'), join(homeDir, '.aws', 'sso', 'cache')]) {
    const refuse = (why: string, cause?: unknown): LatchkeyError =>
      new LatchkeyError(
        'config_error',
        `Latchkey will not use the AWS CLI SSO cache directory ${directory} because ${why}; remove it or make it yours, and Latchkey will sync with the AWS CLI again.`,
        { cause },
      );
    let handle: FileHandle;
    try {
      handle = await open(directory, constants.O_RDONLY | constants.O_DIRECTORY);
    } catch (error) {
      if (systemErrorCode(error) === 'ENOENT') return;
      throw refuse(systemErrorCode(error) === 'ENOTDIR' ? 'it is not a directory' : 'it cannot be opened', error);
    }
    try {
      const info = await handle.stat();
      if (info.uid !== uid) throw refuse(`it belongs to another user (uid ${info.uid})`);
      if ((info.mode & 0o022) !== 0) await handle.chmod(0o700);
    } finally {
      await handle.close();
    }
  }
}

/**
 * Writes the entry atomically (writeFileAtomically): an AWS CLI reading at the same
 * moment sees the old token or the new one, never half of either. The token is a secret:
 * the file is 0600 and the directory 0700, as the AWS CLI creates them; a directory that
 * secureAwsSsoCacheDirectory refuses gets nothing.
 */
export async function writeAwsSsoCacheFile(homeDir: string, sessionName: string, entry: AwsSsoCacheEntry): Promise<string> {
  const filePath = awsSsoCacheFilePath(homeDir, sessionName);
  try {
    await mkdir(dirname(filePath), { recursive: true, mode: 0o700 });
    // After mkdir, so a directory it just created is judged too (and followed symlinks with it).
    await secureAwsSsoCacheDirectory(homeDir);
    await writeFileAtomically(filePath, formatAwsSsoCacheEntry(entry), 0o600);
  } catch (error) {
    if (error instanceof LatchkeyError) throw error;
    throw new LatchkeyError('config_error', `Cannot write the AWS CLI SSO cache file ${filePath}.`, { cause: error });
  }
  return filePath;
}

/**
 * The cached entry for the session, or undefined when there is none or the file is not a
 * plain one of this user: a symlink, a FIFO or device (which would block a reader for
 * good), another user's file, an oversized or malformed one. Throws `config_error` when
 * secureAwsSsoCacheDirectory refuses the directory, so the caller can say so.
 */
export async function readAwsSsoCacheFile(homeDir: string, sessionName: string): Promise<AwsSsoCacheEntry | undefined> {
  await secureAwsSsoCacheDirectory(homeDir);
  try {
    const text = await readRegularFile(awsSsoCacheFilePath(homeDir, sessionName), {
      description: 'the AWS CLI SSO cache file',
      maxBytes: AWS_SSO_CACHE_FILE_MAX_BYTES,
      followSymlinks: false,
    });
    return text === undefined ? undefined : parseAwsSsoCacheEntry(text);
  } catch {
    // Importing is a convenience, signing in always works: a file unfit to read is no entry.
    return undefined;
  }
}
