import { join, posix, win32 } from 'node:path';

export interface SocketPathOptions {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homeDir: string;
  /** The user id, for the last-resort temporary directory; `process.getuid()` where it exists. */
  uid?: number;
  /** The user name, for the Windows pipe name. */
  userName: string;
  /** `os.tmpdir()`; the last resort, for a user without a home directory. */
  tmpDir: string;
}

/**
 * Where the agent listens (docs/agent-api.md, "The socket"): `LATCHKEY_SOCKET` first, then
 * the platform's per-user place. XDG_RUNTIME_DIR is private to the user and cleared at
 * logout, which is what a socket wants. Without it (su, cron, containers, no logind) the
 * socket goes under the user's home, in XDG_STATE_HOME: a shared temporary directory
 * would let another user create `latchkey-<uid>` first, which in a home directory nobody
 * else can do. Only a user without a home falls back to the temporary directory, where
 * the clients' trust check (main/files/trusted-path.ts) refuses a directory made by
 * someone else.
 */
export function defaultSocketPath(options: SocketPathOptions): string {
  const override = options.env.LATCHKEY_SOCKET;
  if (override !== undefined && override.trim() !== '') return override;
  switch (options.platform) {
    case 'win32':
      return `\\\\.\\pipe\\latchkey-${pipeSafe(options.userName)}`;
    case 'darwin':
      return posix.join(options.homeDir, 'Library', 'Application Support', 'Latchkey', 'agent.sock');
    default: {
      const runtimeDir = options.env.XDG_RUNTIME_DIR;
      if (runtimeDir !== undefined && runtimeDir.startsWith('/')) return posix.join(runtimeDir, 'latchkey', 'agent.sock');
      const stateHome = options.env.XDG_STATE_HOME;
      if (stateHome !== undefined && stateHome.startsWith('/')) return posix.join(stateHome, 'latchkey', 'agent.sock');
      if (options.homeDir.startsWith('/') && options.homeDir !== '/') return posix.join(options.homeDir, '.local', 'state', 'latchkey', 'agent.sock');
      return join(options.tmpDir, `latchkey-${options.uid ?? pipeSafe(options.userName)}`, 'agent.sock');
    }
  }
}

/** Whether `path` names a Windows named pipe rather than a file. */
export function isNamedPipe(path: string): boolean {
  return win32.normalize(path).toLowerCase().startsWith('\\\\.\\pipe\\') || path.startsWith('\\\\?\\pipe\\');
}

/** Pipe names may not contain backslashes; a domain user name ("CORP\\ana") would otherwise nest. */
function pipeSafe(userName: string): string {
  return userName.replace(/[^A-Za-z0-9._-]/g, '_') || 'user';
}
