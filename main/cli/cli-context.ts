import { realpathSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { AgentClient, AgentUnavailableError } from './agent-client';
import type { ensureAgentRunning } from './agent-launcher';
import { runLocalChild } from './local-child';
import { isWsl } from '../core/wsl-detection';
import { readKernelRelease } from '../files/kernel-release';
// A tiny pure module (node:path only), shared so the CLI and the agent can never
// disagree on the path; the fast-path test checks it stays that small.
import { defaultSocketPath } from '../agent/socket-path';

export interface OutputStream {
  write(text: string): void;
  readonly isTTY: boolean;
}

/**
 * What a command needs from the process, passed in so tests drive commands without one,
 * and so the agent can run a command for the native client (main/relay): nothing in a
 * command may read `process` itself.
 */

export interface CliContext {
  env: Readonly<Record<string, string | undefined>>;
  platform: string;
  /** This Linux is WSL (main/core/wsl-detection.ts). */
  readonly wsl: boolean;
  homeDir: string;
  stdout: OutputStream;
  stderr: OutputStream;
  client: AgentClient;
  /** The program and arguments that run this CLI: `node /…/latchkey.cjs`, or the native client the relay ran for. */
  self: { command: string; args: string[] };
  /** Runs `use` against the agent, starting a headless agent first when none answers. */
  withAgent<T>(use: (client: AgentClient) => Promise<T>): Promise<T>;
  /** The pid of the process the user runs (the relay's client, not the agent), named in requests. */
  readonly pid: number;
  /** Calls `listener` on Ctrl+C (SIGINT, or the relay's interrupt) until the returned function is called. */
  onInterrupt(listener: () => void): () => void;
  /** Runs `exec`'s child with the user's terminal and resolves with its exit code (local-child.ts). */
  runChild(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number>;
}

/** The agent launcher's entry, loaded only when no agent answers. */
export type LoadAgentLauncher = () => Promise<typeof ensureAgentRunning>;

export function createCliContext(proc: NodeJS.Process, loadAgentLauncher: LoadAgentLauncher): CliContext {
  const env = proc.env;
  const homeDir = homedir();
  const socketPath = defaultSocketPath({
    env,
    platform: proc.platform,
    homeDir,
    tmpDir: tmpdir(),
    ...(typeof proc.getuid === 'function' ? { uid: proc.getuid() } : {}),
    userName: safeUserName(env),
  });
  const client = new AgentClient(socketPath);
  let self: CliContext['self'] | undefined;
  const selfCommand = (): CliContext['self'] => (self ??= { command: proc.execPath, args: [scriptPath(proc.argv[1])] });
  let stdout: OutputStream | undefined;
  let stderr: OutputStream | undefined;
  let wsl: boolean | undefined;
  // Made on first use: credential_process never needs its own path, and Node builds
  // process.stderr only when first touched; both show in every AWS CLI call.
  const ctx: CliContext = {
    env,
    platform: proc.platform,
    // Only `login` asks, so no other command reads /proc for it.
    get wsl() {
      return (wsl ??= proc.platform === 'linux' && isWsl(env, readKernelRelease()));
    },
    homeDir,
    get stdout() {
      return (stdout ??= stream(proc.stdout));
    },
    get stderr() {
      return (stderr ??= stream(proc.stderr));
    },
    client,
    get self() {
      return selfCommand();
    },
    async withAgent(use) {
      try {
        return await use(client);
      } catch (error) {
        if (!(error instanceof AgentUnavailableError)) throw error;
      }
      // Loaded only on this slow path: the usual call finds the agent running.
      const ensureAgentRunning = await loadAgentLauncher();
      const { command, args } = selfCommand();
      await ensureAgentRunning({ client, command, args: [...args, 'agent'], env, platform: proc.platform });
      return use(client);
    },
    pid: proc.pid,
    onInterrupt(listener) {
      proc.once('SIGINT', listener);
      return () => void proc.removeListener('SIGINT', listener);
    },
    runChild(file, args, childEnv) {
      return runLocalChild(ctx.stderr, file, args, childEnv);
    },
  };
  return ctx;
}

/**
 * A reader that went away (`latchkey setup-profiles | head -1`) is not an error: what is
 * left to write is dropped, and the command finishes as it would have. Without the
 * handler the EPIPE is an uncaught error event, and Node prints its stack.
 */
function stream(s: NodeJS.WriteStream): OutputStream {
  let readerGone = false;
  s.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    readerGone = true;
  });
  return {
    write: (text) => {
      if (!readerGone) s.write(text);
    },
    isTTY: s.isTTY === true,
  };
}

function scriptPath(argv1: string | undefined): string {
  if (argv1 === undefined) return '';
  try {
    return realpathSync(argv1);
  } catch {
    return argv1;
  }
}

/** userInfo() throws for a uid with no passwd entry (some containers). */
function safeUserName(env: Readonly<Record<string, string | undefined>>): string {
  try {
    return userInfo().username;
  } catch {
    return env['USER'] ?? env['USERNAME'] ?? 'user';
  }
}
