import { lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AWS_CONFIG_MAX_BYTES, awsConfigFilePath, awsCredentialsFilePath, readAwsConfigText } from '../aws/aws-config-file';
import { LatchkeyError } from '../core/errors';
import { stripProfileCredentials, type SharedFileKind } from '../core/strip-profile-credentials';
import { systemErrorCode } from '../core/system-error-code';
import { writeFileAtomically } from '../files/atomic-file-write';
import { readRegularFile } from '../files/read-regular-file';
import { assertTrustedDirectory } from '../files/trusted-path';

/**
 * What the child of `latchkey exec` is told about the shared files (docs/cli.md, "exec").
 * The SDKs and CLIs read the profile's credentials from `~/.aws/config` and
 * `~/.aws/credentials` before they try the container endpoint, so the child is pointed
 * at copies in which the profile it acts as has every setting but its credentials.
 */
export interface ExecProfile {
  /** For AWS_PROFILE and AWS_DEFAULT_PROFILE; undefined when the child acts as the default profile. */
  profile: string | undefined;
  /** AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, for the files that needed a copy. */
  fileVariables: Record<string, string>;
  /** Removes the copies. */
  dispose(): Promise<void>;
}

export interface ExecProfileOptions {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** The `--profile` given, undefined for the `--session --account --role` form. */
  profile: string | undefined;
  /** A directory of this user that no one else can enter (the agent socket's); the copies go under it. */
  privateDir: string;
  /** The process the copies live for (the user's `latchkey exec`): they are removed once it is gone. */
  ownerPid: number;
}

interface SharedFile {
  kind: SharedFileKind;
  variable: 'AWS_CONFIG_FILE' | 'AWS_SHARED_CREDENTIALS_FILE';
  text: string;
}

/** Under the private directory, one `<pid>-<random>` directory per running `latchkey exec`. */
const COPIES_DIRECTORY = 'exec-profiles';

export async function prepareExecProfile(options: ExecProfileOptions): Promise<ExecProfile> {
  const root = join(options.privateDir, COPIES_DIRECTORY);
  await removeStaleCopies(root);
  const files = await readSharedFiles(options.env, options.homeDir);
  // botocore refuses an AWS_PROFILE that neither file holds (ProfileNotFound): a profile
  // the agent knows but these files do not (another AWS_CONFIG_FILE) leaves the default.
  const named = options.profile;
  const profile = named !== undefined && files.some((file) => stripProfileCredentials(file.text, file.kind, named).hasProfile) ? named : undefined;
  const stripped = files
    .map((file) => ({ file, result: stripProfileCredentials(file.text, file.kind, profile ?? 'default') }))
    .filter(({ result }) => result.changed);
  if (stripped.length === 0) return { profile, fileVariables: {}, dispose: async () => undefined };

  const directory = await mkdtemp(join(await privateDirectory(root), `${options.ownerPid}-`));
  const dispose = (): Promise<void> => rm(directory, { recursive: true, force: true });
  try {
    const fileVariables: Record<string, string> = {};
    for (const { file, result } of stripped) {
      const path = join(directory, file.kind);
      // 0600: the credentials copy still holds the user's other profiles' keys.
      await writeFileAtomically(path, result.text, 0o600);
      fileVariables[file.variable] = path;
      // The JS SDK v2 reads AWS_SHARED_CREDENTIALS_FILE only with AWS_SDK_LOAD_CONFIG set;
      // without it, it would read the original ~/.aws/credentials and its keys.
      if (file.variable === 'AWS_SHARED_CREDENTIALS_FILE') fileVariables['AWS_SDK_LOAD_CONFIG'] = '1';
    }
    return { profile, fileVariables, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

async function readSharedFiles(env: Readonly<Record<string, string | undefined>>, homeDir: string): Promise<SharedFile[]> {
  const config = await readAwsConfigText(awsConfigFilePath({ env, homeDir }));
  const credentialsPath = awsCredentialsFilePath({ env, homeDir });
  const credentials = await readRegularFile(credentialsPath, {
    description: 'the AWS credentials file',
    maxBytes: AWS_CONFIG_MAX_BYTES,
    followSymlinks: true,
  });
  const files: SharedFile[] = [];
  if (config !== undefined) files.push({ kind: 'config', variable: 'AWS_CONFIG_FILE', text: config });
  if (credentials !== undefined) files.push({ kind: 'credentials', variable: 'AWS_SHARED_CREDENTIALS_FILE', text: credentials });
  return files;
}

/**
 * The copies' parent, made 0700 if missing. Its own parent is private to this user, so no
 * one else can have made it; a directory found wider, or of someone else, is refused.
 */
async function privateDirectory(root: string): Promise<string> {
  await mkdir(root, { mode: 0o700 }).catch((error: unknown) => {
    if (systemErrorCode(error) !== 'EEXIST') throw error;
  });
  const real = assertTrustedDirectory(root, 'copies of the AWS config files') ?? root;
  const info = await lstat(real);
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && (info.uid !== uid || (info.mode & 0o077) !== 0)) {
    throw new LatchkeyError('config_error', `Latchkey will not write copies of the AWS config files in ${real}: other users can enter it; run "chmod 700 ${real}".`);
  }
  return real;
}

/** Copies left by an exec that was killed (`kill -9`, a crash) before it could remove them. */
async function removeStaleCopies(root: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return;
  }
  await Promise.all(
    names.map(async (name) => {
      const pid = Number(/^(\d+)-/.exec(name)?.[1]);
      if (Number.isInteger(pid) && pid > 0 && !isRunning(pid)) await rm(join(root, name), { recursive: true, force: true });
    }),
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's (a recycled pid); not ours to judge.
    return systemErrorCode(error) !== 'ESRCH';
  }
}
