import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatAwsSsoCacheEntry, parseAwsSsoCacheEntry, type AwsSsoCacheEntry } from '../core/aws-sso-cache-entry';
import { LatchkeyError } from '../core/errors';

/**
 * `<home>/.aws/sso/cache/<sha1(session name)>.json`, where botocore's SSOTokenProvider
 * and the JS SDK's fromSSO look for an sso-session's token (hex SHA-1 of the UTF-8 name).
 */
export function awsSsoCacheFilePath(homeDir: string, sessionName: string): string {
  const key = createHash('sha1').update(sessionName, 'utf8').digest('hex');
  return join(homeDir, '.aws', 'sso', 'cache', `${key}.json`);
}

/**
 * Writes the entry atomically: a temporary file in the same directory (so the rename
 * stays on one file system), flushed, renamed over the old one. An AWS CLI reading at
 * the same moment sees the old token or the new one, never half of either. The token is
 * a secret: the file is 0600 and the directory 0700, as the AWS CLI creates them.
 */
export async function writeAwsSsoCacheFile(homeDir: string, sessionName: string, entry: AwsSsoCacheEntry): Promise<string> {
  const filePath = awsSsoCacheFilePath(homeDir, sessionName);
  const dir = dirname(filePath);
  const tempPath = join(dir, `.${randomBytes(6).toString('hex')}.latchkey-tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const handle = await open(tempPath, 'wx', 0o600);
    try {
      await handle.writeFile(formatAwsSsoCacheEntry(entry), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // A umask cannot widen 0600, but an odd one could narrow it below what we need.
    await chmod(tempPath, 0o600);
    await rename(tempPath, filePath);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw new LatchkeyError('config_error', `Cannot write the AWS CLI SSO cache file ${filePath}.`, { cause: error });
  }
  return filePath;
}

/** The cached entry for the session, or undefined when there is none or it cannot be read. */
export async function readAwsSsoCacheFile(homeDir: string, sessionName: string): Promise<AwsSsoCacheEntry | undefined> {
  try {
    return parseAwsSsoCacheEntry(await readFile(awsSsoCacheFilePath(homeDir, sessionName), 'utf8'));
  } catch {
    // Missing, unreadable or not ours to judge: importing is a convenience, signing in always works.
    return undefined;
  }
}
