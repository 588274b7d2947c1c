import { chmodSync, lstatSync, readlinkSync, type Stats } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { LatchkeyError } from '../core/errors';
import { systemErrorCode } from '../core/system-error-code';

/**
 * Whether a path can be trusted to stay what it is now: the question behind every socket
 * Latchkey connects to and every file it writes (docs/security.md, "Paths").
 *
 * A path is trusted when no other user can change what any of its components names: each
 * directory and symlink on the way from `/` belongs to this user or to root, and no
 * directory is writable by group or others unless it is sticky (as /tmp is: there others
 * cannot rename or remove what is ours). Checked this way, the answer cannot change between
 * the check and the use, so there is no race to win. OpenSSH's StrictModes applies the
 * same rule to ~/.ssh. Where there are no uids (Windows) every check passes.
 */

/** ELOOP's bound on symlinks followed in one path resolution on Linux. */
const MAX_SYMLINKS = 40;

/** What is wrong with a path, and the command that fixes it when the user can. */
interface Problem {
  why: string;
  fix?: string;
}

type Refuse = (problem: Problem) => LatchkeyError;

const SOCKET_ALTERNATIVE = 'set LATCHKEY_SOCKET to a path in a private directory of your own';

/**
 * Throws `config_error` unless `socketPath` is safe to send a request to: the socket is a
 * socket (not a symlink) of this user with no group or other bits, in a directory of this
 * user that only this user can enter, on a trusted path. `absent` when some component
 * does not exist: then there is no agent to talk to, and the caller must not connect at
 * all, since in a shared folder another user could create the missing part between this
 * check and the connect. The agent creates the path; once it exists and passes, nobody
 * else can change it.
 */
export function assertTrustedSocket(socketPath: string): 'present' | 'absent' {
  const uid = currentUid();
  if (uid === undefined) return 'present';
  const refuse: Refuse = ({ why, fix }) =>
    new LatchkeyError('config_error', `The agent socket ${socketPath} is not safe to use: ${why}; ${fix === undefined ? '' : `${fix}, or `}${SOCKET_ALTERNATIVE}.`);
  const directory = walkTrusted(dirname(socketPath), uid, refuse);
  if ('missing' in directory) return 'absent';
  checkPrivateDirectory(directory.path, directory.info, uid, refuse);
  const socket = lstatOrUndefined(socketPath);
  if (socket === undefined) return 'absent';
  if (socket.isSymbolicLink()) throw refuse({ why: `${socketPath} is a symlink` });
  if (!socket.isSocket()) throw refuse({ why: `${socketPath} is not a socket` });
  if (socket.uid !== uid) throw refuse({ why: `${socketPath} belongs to another user (uid ${socket.uid})` });
  if ((socket.mode & 0o077) !== 0) throw refuse({ why: `other users may connect to ${socketPath} (mode ${octal(socket.mode)})` });
  return 'present';
}

/**
 * The agent's socket directory, which must exist: held to the rule of assertTrustedSocket.
 * `mayFix` (Latchkey's own default directory only) lets a directory of this user with
 * group or other bits be tightened to 0700 instead of refused.
 */
export function assertPrivateDirectory(directoryPath: string, mayFix: boolean): void {
  const uid = currentUid();
  if (uid === undefined) return;
  const refuse: Refuse = ({ why, fix }) =>
    new LatchkeyError('config_error', `The socket directory ${directoryPath} cannot be used: ${why}; ${fix === undefined ? '' : `${fix}, or `}${SOCKET_ALTERNATIVE}.`);
  const directory = walkTrusted(directoryPath, uid, refuse);
  if ('missing' in directory) throw refuse({ why: `${directory.missing} does not exist` });
  const { info } = directory;
  if (mayFix && info.isDirectory() && info.uid === uid && (info.mode & 0o077) !== 0) {
    chmodSync(directory.path, 0o700);
    return;
  }
  checkPrivateDirectory(directory.path, info, uid, refuse);
}

/**
 * Throws `config_error` unless files can be written in `directoryPath` without another
 * user being able to swap the directory or what is in it: a trusted path (see above)
 * ending in a directory of this user or root. A directory that does not exist yet passes
 * when its existing ancestors do and no other user could create it first (its parent is
 * writable by no one else, sticky or not): it will be created by this user. Returns the
 * directory's real path, which the caller must then write in (so that what was checked is
 * what is used), or undefined when it does not exist yet.
 */
export function assertTrustedDirectory(directoryPath: string, purpose: string): string | undefined {
  const uid = currentUid();
  if (uid === undefined) return directoryPath;
  const refuse: Refuse = ({ why, fix }) =>
    new LatchkeyError('config_error', `Latchkey will not write ${purpose} in ${directoryPath}: ${why}${fix === undefined ? '' : `; ${fix}`}.`);
  const directory = walkTrusted(directoryPath, uid, refuse);
  if ('missing' in directory) {
    if (directory.parentWritableByOthers) throw refuse({ why: `another user could create ${directory.missing} first` });
    return undefined;
  }
  if (!directory.info.isDirectory()) throw refuse({ why: `${directory.path} is not a directory` });
  checkComponent(directory.path, directory.info, uid, refuse);
  return directory.path;
}

interface Resolved {
  /** The real path of the final component. */
  path: string;
  info: Stats;
}

interface Missing {
  /** The first component that does not exist. */
  missing: string;
  /** Whether others may create entries in its (trusted) parent: a shared folder such as /tmp. */
  parentWritableByOthers: boolean;
}

/**
 * Resolves `path` component by component from `/`, as the kernel would, checking each
 * directory and symlink on the way. Returns the final component (after following it if
 * it is a symlink) unjudged, or the first component that does not exist.
 */
function walkTrusted(path: string, uid: number, refuse: Refuse, budget = { symlinks: MAX_SYMLINKS }): Resolved | Missing {
  // Not path.resolve: it takes `link/..` away as text, where the kernel follows the link
  // first and then goes up from where it leads. `..` is taken here as the kernel takes it.
  const absolute = isAbsolute(path) ? path : `${process.cwd()}/${path}`;
  const names = absolute.split('/').filter((part) => part !== '' && part !== '.');
  let current = '/';
  let info = lstatSync(current);
  checkComponent(current, info, uid, refuse);
  for (const [index, name] of names.entries()) {
    if (name === '..') {
      // `current` is always a real path, so its parent is the one the kernel goes to.
      current = dirname(current);
      info = lstatSync(current);
      if (index < names.length - 1) checkComponent(current, info, uid, refuse);
      continue;
    }
    const next = current === '/' ? `/${name}` : `${current}/${name}`;
    const nextInfo = lstatOrUndefined(next);
    if (nextInfo === undefined) return { missing: next, parentWritableByOthers: (info.mode & 0o022) !== 0 };
    if (nextInfo.isSymbolicLink()) {
      checkComponent(next, nextInfo, uid, refuse);
      budget.symlinks -= 1;
      if (budget.symlinks < 0) throw refuse({ why: `${path} has too many levels of symlinks` });
      const target = readlinkSync(next);
      const resolved = walkTrusted(isAbsolute(target) ? target : `${current}/${target}`, uid, refuse, budget);
      if ('missing' in resolved) return resolved;
      ({ path: current, info } = resolved);
    } else {
      current = next;
      info = nextInfo;
    }
    // Every component but the last must be a trusted directory to walk on; the last is the caller's to judge.
    if (index === names.length - 1) break;
    if (!info.isDirectory()) throw refuse({ why: `${current} is not a directory` });
    checkComponent(current, info, uid, refuse);
  }
  return { path: current, info };
}

/** One directory or symlink on a trusted path: this user's or root's, and unchangeable by others. */
function checkComponent(path: string, info: Stats, uid: number, refuse: Refuse): void {
  if (info.uid !== uid && info.uid !== 0) throw refuse({ why: `${path} belongs to another user (uid ${info.uid})` });
  const writableByOthers = (info.mode & 0o022) !== 0;
  const sticky = (info.mode & 0o1000) !== 0;
  if (info.isDirectory() && writableByOthers && !sticky) {
    throw refuse({
      why: `other users can change ${path} (mode ${octal(info.mode)})`,
      ...(info.uid === uid ? { fix: `run "chmod go-w ${path}"` } : {}),
    });
  }
}

/** A socket's own directory: this user's alone, since whoever can enter it can reach the socket. */
function checkPrivateDirectory(path: string, info: Stats, uid: number, refuse: Refuse): void {
  if (!info.isDirectory()) throw refuse({ why: `${path} is not a directory` });
  if (info.uid !== uid) throw refuse({ why: `${path} belongs to another user (uid ${info.uid})` });
  if ((info.mode & 0o077) !== 0) throw refuse({ why: `other users can enter ${path} (mode ${octal(info.mode)})`, fix: `run "chmod 700 ${path}"` });
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT' || systemErrorCode(error) === 'ENOTDIR') return undefined;
    throw error;
  }
}

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
