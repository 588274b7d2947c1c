import { mkdir, realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LatchkeyError } from '../core/errors';
import { systemErrorCode } from '../core/system-error-code';
import { writeFileAtomically } from '../files/atomic-file-write';
import { assertAwsConfigFits, awsConfigFilePath, readAwsConfigText, type AwsConfigFileOptions } from './aws-config-file';

/** A new config file holds credential_process lines and account ids: private, like the AWS CLI makes it. */
const NEW_CONFIG_MODE = 0o600;

/** What an edit of the config made of its text; nothing is written unless `changed`. */
export interface ConfigEdit {
  text: string;
  changed: boolean;
}

/**
 * Rewrites the AWS config as `setup-profiles` and the window's "Add a profile" do: the
 * file a symlink points to, read as the agent reads it; nothing written when the edit
 * changes nothing; otherwise a backup of what was read first, then an atomic replace,
 * both keeping the file's mode. `edit` gets the text (undefined when there is no file).
 */
export async function rewriteAwsConfig<E extends ConfigEdit>(
  options: AwsConfigFileOptions,
  edit: (text: string | undefined, configPath: string) => E | Promise<E>,
): Promise<{ configPath: string; edit: E }> {
  const configPath = await resolveSymlink(awsConfigFilePath(options));
  const existing = await readExisting(configPath);
  const result = await edit(existing?.text, configPath);
  if (!result.changed) return { configPath, edit: result };
  // Written only if the agent can read it back: a larger file would lock every command out.
  assertAwsConfigFits(result.text, configPath);
  try {
    if (existing === undefined) {
      await mkdir(dirname(configPath), { recursive: true, mode: 0o700 });
    } else {
      // A new file renamed into place: a symlink planted at the backup's path is replaced, never followed.
      await writeFileAtomically(`${configPath}.latchkey-backup`, existing.text, existing.mode);
    }
    await writeFileAtomically(configPath, result.text, existing?.mode ?? NEW_CONFIG_MODE);
  } catch (error) {
    throw new LatchkeyError('config_error', `Cannot write the AWS config file ${configPath}: ${describe(error)}.`, { cause: error });
  }
  return { configPath, edit: result };
}

/** Read as the agent reads it (a regular file of this user, bounded, without blocking), with its mode. */
async function readExisting(path: string): Promise<{ text: string; mode: number } | undefined> {
  const text = await readAwsConfigText(path);
  if (text === undefined) return undefined;
  try {
    return { text, mode: (await stat(path)).mode & 0o777 };
  } catch (error) {
    throw new LatchkeyError('config_error', `Cannot read the AWS config file ${path}: ${describe(error)}.`, { cause: error });
  }
}

/** A config kept in a dotfiles repository is often a symlink; replace the file it points to, not the link. */
async function resolveSymlink(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

function describe(error: unknown): string {
  const code = systemErrorCode(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
