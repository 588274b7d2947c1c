import { randomBytes } from 'node:crypto';
import { chmod, link, lstat, mkdir, rename, unlink } from 'node:fs/promises';
import { connect, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { LatchkeyError } from '../core/errors';
import type { Disposable } from '../core/lifecycle';
import { SOCKET_PROBE_TIMEOUT_MS } from '../core/time-windows';
import { isNamedPipe } from './socket-path';
import { systemErrorCode } from '../core/system-error-code';
import { assertPrivateDirectory } from '../files/trusted-path';
import { agentRunningError, askRunningAgent } from './running-agent';

export interface SocketClaimOptions {
  socketPath: string;
  /**
   * True for Latchkey's own default directory, whose mode the agent may correct. A
   * directory the user chose through LATCHKEY_SOCKET is never chmodded behind their back:
   * if other users can enter it, the agent refuses and says how to fix it.
   */
  mayFixDirectory: boolean;
}

/** The claimed socket path; `dispose()` removes the file if it is still ours. */
export interface SocketClaim extends Disposable {
  readonly socketPath: string;
}

/** sun_path is 104 bytes on macOS and the BSDs, 108 on Linux, both with a terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 103;

/** A few attempts only: each lost race means another agent appeared, and the next probe sees it. */
const CLAIM_ATTEMPTS = 3;

/**
 * Makes `server` listen on the socket path, refusing when a live agent owns it and
 * replacing a stale file left by one that died.
 *
 * The server first listens on a private temporary name in the same 0700 directory, is
 * chmodded 0600 there, and is then hard-linked to the real name. `link` fails when the
 * name exists, so two agents starting at once cannot both win, and a stale file is only
 * removed after checking it is still the very file probed (by inode). Because the
 * directory is 0700 nobody else can reach the socket in the moment between `listen` and
 * `chmod`, whatever the umask: no umask juggling is needed.
 */
export async function claimSocket(server: Server, options: SocketClaimOptions): Promise<SocketClaim> {
  const { socketPath } = options;
  if (isNamedPipe(socketPath)) return claimNamedPipe(server, socketPath);
  checkLength(socketPath);
  const directory = dirname(socketPath);
  await ensurePrivateDirectory(directory, options.mayFixDirectory);
  const temporary = join(directory, `.${randomBytes(6).toString('hex')}`);
  checkLength(temporary);
  await listen(server, temporary);
  try {
    await chmod(temporary, 0o600);
    const ownInode = (await lstat(temporary)).ino;
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt += 1) {
      if (await tryLink(temporary, socketPath)) {
        await unlink(temporary);
        return fileClaim(socketPath, ownInode);
      }
      const probe = await probeSocket(socketPath);
      if (probe.state === 'live') throw await agentRunning(socketPath);
      if (probe.state === 'stale') await removeStale(socketPath, probe.inode);
    }
    throw await agentRunning(socketPath);
  } catch (error) {
    await closeServer(server);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

export type SocketProbe = { state: 'absent' } | { state: 'live' } | { state: 'stale'; inode: number };

/** Whether something answers on the socket file: a live agent, a stale file, or nothing. */
export async function probeSocket(socketPath: string): Promise<SocketProbe> {
  let inode: number;
  try {
    const info = await lstat(socketPath);
    if (!info.isSocket()) {
      throw new LatchkeyError(
        'config_error',
        `${socketPath} exists and is not a socket; remove it, or set LATCHKEY_SOCKET to another path.`,
      );
    }
    inode = info.ino;
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return { state: 'absent' };
    throw error;
  }
  const outcome = await new Promise<'connected' | 'refused' | 'gone'>((resolve) => {
    const socket = connect({ path: socketPath });
    const timer = setTimeout(() => finish('connected'), SOCKET_PROBE_TIMEOUT_MS);
    socket.once('connect', () => finish('connected'));
    socket.once('error', (error) => {
      const code = systemErrorCode(error);
      // EACCES and the like mean something we cannot talk to holds the name: never replace it.
      finish(code === 'ECONNREFUSED' ? 'refused' : code === 'ENOENT' ? 'gone' : 'connected');
    });
    function finish(result: 'connected' | 'refused' | 'gone'): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
  });
  if (outcome === 'gone') return { state: 'absent' };
  return outcome === 'refused' ? { state: 'stale', inode } : { state: 'live' };
}

/**
 * Creates the directory 0700, or checks an existing one: a real directory of this user
 * that no one else may enter, on a path no one else can change (main/files/trusted-path.ts).
 * A directory under a shared folder could have been made by someone else to catch the
 * socket, so ownership is never assumed.
 */
async function ensurePrivateDirectory(directory: string, mayFix: boolean): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  assertPrivateDirectory(directory, mayFix);
}

async function claimNamedPipe(server: Server, pipePath: string): Promise<SocketClaim> {
  try {
    await listen(server, pipePath);
  } catch (error) {
    // A pipe has no file to go stale: the name is taken only while its owner runs.
    if (systemErrorCode(error) === 'EADDRINUSE') throw await agentRunning(pipePath);
    throw error;
  }
  return { socketPath: pipePath, dispose: () => undefined };
}

function fileClaim(socketPath: string, ownInode: number): SocketClaim {
  return {
    socketPath,
    async dispose(): Promise<void> {
      try {
        // Another agent may hold the name by now (ours was removed by hand): leave theirs alone.
        if ((await lstat(socketPath)).ino === ownInode) await unlink(socketPath);
      } catch (error) {
        if (systemErrorCode(error) !== 'ENOENT') throw error;
      }
    },
  };
}

async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if (systemErrorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Moves the stale file aside and deletes it only if it is the file that was probed; a
 * live socket another agent linked in meanwhile is put back.
 */
async function removeStale(socketPath: string, staleInode: number): Promise<void> {
  const aside = join(dirname(socketPath), `.stale-${randomBytes(6).toString('hex')}`);
  try {
    await rename(socketPath, aside);
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return;
    throw error;
  }
  if ((await lstat(aside)).ino !== staleInode) await link(aside, socketPath).catch(() => undefined);
  await unlink(aside);
}

/**
 * Connections the kernel holds for the agent while its one thread is busy: Node's
 * default of 511 filled in a burst of 1,000 credential_process calls, and a client that
 * connects then gets EAGAIN (the native client's blocking connect waits; the Node CLI
 * waits and retries, main/cli/socket-http.ts). Linux caps it at net.core.somaxconn
 * (4096 since 5.4). Waiting here costs the agent no file descriptor.
 */
const LISTEN_BACKLOG = 4096;

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path, exclusive: true, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

function checkLength(socketPath: string): void {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    throw new LatchkeyError(
      'config_error',
      `The socket path ${socketPath} is too long for a Unix socket (at most ${MAX_SOCKET_PATH_BYTES} bytes); set LATCHKEY_SOCKET to a shorter path.`,
    );
  }
}

async function agentRunning(socketPath: string): Promise<LatchkeyError> {
  return agentRunningError(socketPath, await askRunningAgent(socketPath));
}
