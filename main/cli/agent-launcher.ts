import { spawn } from 'node:child_process';
import { closeSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LatchkeyError } from '../core/errors';
import { openPrivateLogFile } from '../files/private-log-file';
import { AgentUnavailableError, type AgentClient } from './agent-client';

export interface AgentLaunchOptions {
  client: AgentClient;
  /** The program and arguments that run `latchkey agent` (node, the CLI bundle, "agent"). */
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  platform: string;
  /** Longest wait for the new agent's socket to answer. */
  timeoutMs?: number;
}

/**
 * A cold agent opens the keychain and reads the config before it listens; on a loaded
 * laptop that takes a second or two. Ten seconds is generous without hanging a tool.
 */
export const AGENT_START_TIMEOUT_MS = 10_000;
/** First poll soon after spawning (Node starts in ~50 ms), then back off to this cap. */
const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 250;

/**
 * Makes sure an agent answers on the socket, starting a detached headless one if none
 * does. Safe to race: every caller may spawn, but the agent refuses to start beside a
 * live one (it binds the socket or exits 1), so the losers' agents exit and every caller
 * ends up talking to the one winner. Returns the pid of the agent that answered.
 */
export async function ensureAgentRunning(options: AgentLaunchOptions): Promise<number> {
  const first = await probe(options.client);
  if (first !== undefined) return first;
  const logPath = spawnAgent(options);
  const deadline = Date.now() + (options.timeoutMs ?? AGENT_START_TIMEOUT_MS);
  let waitMs = FIRST_POLL_MS;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    const pid = await probe(options.client);
    if (pid !== undefined) return pid;
    if (Date.now() >= deadline) break;
    waitMs = Math.min(waitMs * 2, MAX_POLL_MS);
  }
  const where = logPath === undefined ? '' : `; its log is ${logPath}`;
  const seconds = Math.max(1, Math.round((options.timeoutMs ?? AGENT_START_TIMEOUT_MS) / 1000));
  throw new LatchkeyError('timeout', `The Latchkey agent did not start within ${seconds} second${seconds === 1 ? '' : 's'}${where}.`);
}

/** The answering agent's pid, or undefined when nothing answers yet. */
async function probe(client: AgentClient): Promise<number | undefined> {
  try {
    return await client.call({ method: 'GET', path: '/v1/status', timeoutMs: 5_000, read: readPid });
  } catch (error) {
    if (error instanceof AgentUnavailableError) return undefined;
    throw error;
  }
}

function readPid(body: unknown): number {
  const pid = typeof body === 'object' && body !== null && 'pid' in body ? body.pid : undefined;
  return typeof pid === 'number' ? pid : 0;
}

/** Spawns the agent detached from this process and its terminal; returns its log file path. */
function spawnAgent(options: AgentLaunchOptions): string | undefined {
  const socketPath = options.client.socketPath;
  let logPath: string | undefined;
  let logFd: number | undefined;
  if (options.platform !== 'win32') {
    // The agent creates this directory too; creating it here (0700, as the agent would)
    // lets its output go to a log beside the socket instead of being lost. A log that
    // cannot be opened safely is left out: the agent still starts, and says why if not.
    const dir = dirname(socketPath);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      logPath = join(dir, 'agent.log');
      logFd = openPrivateLogFile(logPath);
    } catch {
      logPath = undefined;
    }
  }
  const out = logFd ?? 'ignore';
  const child = spawn(options.command, [...options.args], {
    detached: true,
    stdio: ['ignore', out, out],
    env: options.env,
    windowsHide: true,
  });
  child.on('error', () => undefined); // reported as "did not start" by the wait that follows
  child.unref();
  if (logFd !== undefined) closeSync(logFd);
  return logPath;
}
