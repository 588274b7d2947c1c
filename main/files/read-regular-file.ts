import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { LatchkeyError } from '../core/errors';
import { systemErrorCode } from '../core/system-error-code';

export interface ReadRegularFileOptions {
  /** For the messages: what the file is to the user, e.g. "the AWS config file". */
  description: string;
  /** A larger file is refused; at most this many bytes and one more are read. */
  maxBytes: number;
  /**
   * Whether a symlink at the path itself is followed. `~/.aws/config` is often a link
   * into a dotfiles repository; a token cache has no reason to be one.
   */
  followSymlinks: boolean;
}

/**
 * The UTF-8 text of a file another user or a hostile process may have planted, or
 * undefined when nothing is at the path. Throws `config_error`, naming the path and the
 * problem, unless it is a regular file of this user (or root) of at most `maxBytes`.
 *
 * O_NONBLOCK makes opening a FIFO or a device return at once: a plain read of one waits
 * for a writer for ever, holding one of libuv's four pool threads, and a few such files
 * hang the agent. The checks look at the open descriptor (fstat), not the path, so
 * nothing can be swapped in between checking and reading.
 */
export async function readRegularFile(path: string, options: ReadRegularFileOptions): Promise<string | undefined> {
  const refuse = (why: string, cause?: unknown): LatchkeyError =>
    new LatchkeyError('config_error', `Cannot read ${options.description} ${path}: ${why}.`, { cause });
  let handle: FileHandle;
  try {
    handle = await open(path, openFlags(options));
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return undefined;
    throw refuse(openFailure(error, options.followSymlinks), error);
  }
  try {
    const info = await handle.stat();
    const problem = fileProblem(info, options.maxBytes);
    if (problem !== undefined) throw refuse(problem);
    const bytes = await readAtMost(handle, info.size, options.maxBytes + 1);
    if (bytes.length > options.maxBytes) throw refuse(tooLarge(options.maxBytes));
    return bytes.toString('utf8');
  } catch (error) {
    if (error instanceof LatchkeyError) throw error;
    throw refuse(error instanceof Error ? error.message : String(error), error);
  } finally {
    await handle.close();
  }
}

/**
 * readRegularFile for the few callers that must answer synchronously (the HTTP clients'
 * CA bundle, read when they are built). The same checks on the open descriptor; opening
 * with O_NONBLOCK returns at once for a FIFO too, which the checks then refuse, so a
 * planted FIFO cannot freeze the event loop.
 */
export function readRegularFileSync(path: string, options: ReadRegularFileOptions): string | undefined {
  const refuse = (why: string, cause?: unknown): LatchkeyError =>
    new LatchkeyError('config_error', `Cannot read ${options.description} ${path}: ${why}.`, { cause });
  let fd: number;
  try {
    fd = openSync(path, openFlags(options));
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return undefined;
    throw refuse(openFailure(error, options.followSymlinks), error);
  }
  try {
    const info = fstatSync(fd);
    const problem = fileProblem(info, options.maxBytes);
    if (problem !== undefined) throw refuse(problem);
    const buffer = Buffer.alloc(Math.min(info.size + 1, options.maxBytes + 1));
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
    }
    if (length > options.maxBytes) throw refuse(tooLarge(options.maxBytes));
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function openFlags(options: ReadRegularFileOptions): number {
  // Windows has neither flag (undefined there); it has no FIFOs at file paths to fear either.
  return constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (options.followSymlinks ? 0 : (constants.O_NOFOLLOW ?? 0));
}

/** What makes the opened file unfit to read, or undefined when it is fit. */
function fileProblem(info: Stats, maxBytes: number): string | undefined {
  if (info.isDirectory()) return 'it is a directory, not a file';
  if (info.isFIFO()) return 'it is a named pipe (FIFO), not a regular file';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'it is a device, not a regular file';
  if (!info.isFile()) return 'it is not a regular file';
  // Where there are no uids (Windows) there is no owner to compare. Root's files (an
  // /etc/aws/config) cannot have been planted by another user, as trusted-path.ts holds too.
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && info.uid !== uid && info.uid !== 0) return `it belongs to another user (uid ${info.uid})`;
  if (info.size > maxBytes) return tooLarge(maxBytes);
  return undefined;
}

/**
 * Up to `limit` bytes. The buffer starts at the size fstat gave and grows only if the
 * file grew since, so a large bound costs nothing for a small file.
 */
async function readAtMost(handle: FileHandle, sizeHint: number, limit: number): Promise<Buffer> {
  let buffer = Buffer.alloc(Math.min(sizeHint + 1, limit));
  let length = 0;
  while (length < limit) {
    if (length === buffer.length) {
      const grown = Buffer.alloc(Math.min(buffer.length * 2, limit));
      buffer.copy(grown);
      buffer = grown;
    }
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return buffer.subarray(0, length);
}

function openFailure(error: unknown, followSymlinks: boolean): string {
  switch (systemErrorCode(error)) {
    case 'ELOOP':
      // O_NOFOLLOW's answer for a symlink as the last component.
      return followSymlinks ? 'it is a loop of symlinks' : 'it is a symlink, which Latchkey does not follow here';
    case 'ENXIO':
      // What open(2) says of a Unix socket, or of a device file with no device behind it.
      return 'it is a socket or a device, not a regular file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function tooLarge(maxBytes: number): string {
  return `it is larger than ${maxBytes} bytes`;
}
