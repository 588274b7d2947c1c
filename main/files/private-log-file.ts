import { closeSync, constants, fchmodSync, fstatSync, openSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LatchkeyError } from '../core/errors';
import { systemErrorCode } from '../core/system-error-code';
import { assertTrustedDirectory } from './trusted-path';

/**
 * Opens a log file for appending, for a process's stdout and stderr, refusing anything
 * but this user's own regular file in a directory no one else can change. O_NOFOLLOW:
 * a symlink planted at the name would otherwise make Latchkey append to whatever file it
 * points at. O_NONBLOCK: a FIFO planted there would otherwise block the open for good (it
 * is then refused by the fstat below). Returns the descriptor; the caller closes it.
 */
export function openPrivateLogFile(path: string): number {
  // Opened in the directory as checked (its real path), not as the path spells it.
  const directory = assertTrustedDirectory(dirname(path), 'the agent log') ?? dirname(path);
  const notALog = (cause?: unknown): LatchkeyError =>
    new LatchkeyError('config_error', `${path} is not a log file of this user; remove it so that Latchkey can write its log there.`, { cause });
  let fd: number;
  try {
    fd = openSync(join(directory, basename(path)), constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o600);
  } catch (error) {
    // ELOOP: a symlink; ENXIO: a FIFO nobody reads. Anything else is not about the file's kind.
    const code = systemErrorCode(error);
    throw code === 'ELOOP' || code === 'ENXIO' ? notALog(error) : error;
  }
  try {
    const info = fstatSync(fd);
    const uid = process.getuid?.();
    if (!info.isFile() || (uid !== undefined && info.uid !== uid)) throw notALog();
    // A log of an older version, or one created under another umask, is narrowed to 0600.
    if ((info.mode & 0o077) !== 0) fchmodSync(fd, 0o600);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
