import { stat } from 'node:fs/promises';
import { awsConfigFilePath, type AwsConfigFileOptions } from './aws-config-path';
import { parseAwsConfig, type AwsConfig } from '../core/aws-config';
import { LatchkeyError } from '../core/errors';
import { readRegularFile } from '../files/read-regular-file';

// Where the files are lives in a module of its own, small enough for the credential_process fast path.
export { awsConfigFilePath, awsCredentialsFilePath, type AwsConfigFileOptions } from './aws-config-path';

/**
 * Far above any real config (a thousand profiles take about 150 KiB; `setup-profiles` for
 * an organisation of 20,000 role assignments about 4.5 MiB), and small enough that a huge
 * or endless file at the path cannot fill the agent's memory. `setup-profiles` never writes
 * more than this (assertAwsConfigFits), so it cannot make the file unreadable to Latchkey.
 */
export const AWS_CONFIG_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Reads and parses the AWS config file. A missing file is an empty config, not an
 * error: a new machine has none until the first profile is written, and the AWS tools
 * treat it the same way. Anything but a regular file of this user (a FIFO, a device, one
 * of another user) is a config_error naming the path. A symlink is followed: the file is
 * often one into a dotfiles repository, and what it points to is judged the same way.
 */
export async function readAwsConfigFile(options: AwsConfigFileOptions): Promise<AwsConfig> {
  const filePath = awsConfigFilePath(options);
  const text = await readAwsConfigText(filePath);
  if (text === undefined) return { ...parseAwsConfig('', filePath), fileMissing: true };
  // With any byte-order mark (Windows editors): parseAwsConfig skips it and warns that botocore refuses such a file.
  return parseAwsConfig(text, filePath);
}

/** The file's text as readAwsConfigFile takes it (undefined when there is none), for a command that rewrites it. */
export function readAwsConfigText(filePath: string): Promise<string | undefined> {
  return readRegularFile(filePath, { description: 'the AWS config file', maxBytes: AWS_CONFIG_MAX_BYTES, followSymlinks: true });
}

/** Throws `config_error` unless Latchkey could read `text` back as the AWS config. */
export function assertAwsConfigFits(text: string, filePath: string, maxBytes = AWS_CONFIG_MAX_BYTES): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxBytes) return;
  throw new LatchkeyError(
    'config_error',
    `The new ${filePath} would be ${mebibytes(bytes)} MiB, more than the ${mebibytes(maxBytes)} MiB Latchkey reads; nothing was written. write profiles by hand for the roles you use (latchkey_session, latchkey_account_id, latchkey_role_name) instead.`,
  );
}

function mebibytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

/**
 * A reader for a long-running process that answers from its last parse while the file
 * is unchanged: the agent consults the config on every credential request, and a stat
 * costs far less than a read and a parse. Edits still apply at once, because any change
 * of modification time (nanoseconds), size or inode reads the file again.
 */
export function cachedAwsConfigReader(options: AwsConfigFileOptions): () => Promise<AwsConfig> {
  let cached: { stamp: string; config: AwsConfig } | undefined;
  const stampOf = sharedFileStamps();
  return async function readCached(): Promise<AwsConfig> {
    const stamp = await stampOf(awsConfigFilePath(options));
    if (cached !== undefined && stamp !== undefined && cached.stamp === stamp) return cached.config;
    const config = await readAwsConfigFile(options);
    cached = stamp === undefined ? undefined : { stamp, config };
    return config;
  };
}

/**
 * fileStamp, with callers that ask at once sharing a stat: a caller joins the stat that
 * starts next, never one already under way (it may have looked before an edit the caller
 * has seen), so each answer is as fresh as the caller's own stat would be. With 1,000
 * credential requests at once that is two stats at a time instead of 1,000 queued in
 * libuv's thread pool (under test/reliability/load.test.ts's load, stat had 16% of the
 * agent's profile samples, the most of any function; 6% when shared).
 */
function sharedFileStamps(): (path: string) => Promise<string | undefined> {
  let running: Promise<void> | undefined;
  let next: { path: string; stamp: Promise<string | undefined> } | undefined;
  const start = (path: string): Promise<string | undefined> => {
    const stamp = fileStamp(path);
    running = stamp.then(() => {
      running = undefined;
    });
    return stamp;
  };
  return (path) => {
    if (running === undefined) return start(path);
    if (next?.path === path) return next.stamp;
    // Another path (the environment changed): its own stat, unshared.
    if (next !== undefined) return fileStamp(path);
    const stamp = running.then(() => {
      next = undefined;
      return start(path);
    });
    next = { path, stamp };
    return stamp;
  };
}

async function fileStamp(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path, { bigint: true });
    return `${info.mtimeNs}:${info.size}:${info.ino}`;
  } catch {
    return undefined;
  }
}
