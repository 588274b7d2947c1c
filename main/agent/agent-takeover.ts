import { request } from 'node:http';
import { isLatchkeyError } from '../core/errors';
import { assertTrustedSocket } from '../files/trusted-path';
import { agentSocketPath, startAgent, type AgentOptions, type RunningAgent } from './agent';

/** How long the desktop app waits for a headless agent to hand over its socket. */
const TAKEOVER_TIMEOUT_MS = 5_000;
const TAKEOVER_RETRY_MS = 100;

/**
 * Starts the agent, first asking a headless agent that owns the socket to stop
 * (`POST /v1/shutdown`): the tray app takes over from `latchkey agent` (docs/contract.md section
 * 4). An agent that refuses (another app) leaves the `agent_running` error standing.
 */
export async function startAgentTakingOver(options: AgentOptions): Promise<RunningAgent> {
  try {
    return await startAgent(options);
  } catch (error) {
    if (!isLatchkeyError(error, 'agent_running')) throw error;
    const stopping = await askToStop(agentSocketPath(options));
    if (!stopping) throw error;
  }
  const deadline = Date.now() + TAKEOVER_TIMEOUT_MS;
  for (;;) {
    try {
      return await startAgent(options);
    } catch (error) {
      if (!isLatchkeyError(error, 'agent_running') || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, TAKEOVER_RETRY_MS));
    }
  }
}

function askToStop(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    // Only an agent of this user is asked; anything else at the path keeps the first error standing.
    try {
      if (assertTrustedSocket(socketPath) === 'absent') return resolve(false);
    } catch {
      return resolve(false);
    }
    const req = request({ socketPath, method: 'POST', path: '/v1/shutdown', agent: false, timeout: TAKEOVER_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode === 202);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
