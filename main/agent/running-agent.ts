import { request } from 'node:http';
import { LatchkeyError } from '../core/errors';
import { SOCKET_PROBE_TIMEOUT_MS } from '../core/time-windows';

/** What a live agent on the socket says of itself: enough to tell the user which process to stop. */
export interface RunningAgent {
  pid: number;
  /** The desktop app runs it: quitting the app stops it. */
  interactive: boolean;
}

/** The most a status answer is read for a pid; the real one is a few kilobytes. */
const STATUS_MAX_BYTES = 256 * 1024;

/**
 * Asks the agent on `socketPath` for its pid (GET /v1/status), or undefined when it does
 * not answer like one within the probe window: the refusal must not wait on a stuck peer.
 */
export function askRunningAgent(socketPath: string): Promise<RunningAgent | undefined> {
  return new Promise((resolve) => {
    const req = request({ socketPath, method: 'GET', path: '/v1/status', agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.length > STATUS_MAX_BYTES) finish(undefined);
      });
      res.on('end', () => finish(res.statusCode === 200 ? readRunningAgent(text) : undefined));
      res.on('error', () => finish(undefined));
    });
    // A whole deadline, not an idle timeout: a peer that trickles bytes must not hold the refusal up.
    const timer = setTimeout(() => finish(undefined), SOCKET_PROBE_TIMEOUT_MS);
    req.on('error', () => finish(undefined));
    req.end();
    function finish(result: RunningAgent | undefined): void {
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    }
  });
}

function readRunningAgent(text: string): RunningAgent | undefined {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null || !('pid' in body)) return undefined;
    const { pid } = body;
    if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
    return { pid, interactive: 'interactive' in body && body.interactive === true };
  } catch {
    return undefined;
  }
}

/** The refusal of a second agent: which process holds the socket, and what to do about it. */
export function agentRunningError(socketPath: string, running: RunningAgent | undefined): LatchkeyError {
  const who = running === undefined ? 'Another Latchkey agent' : `Another Latchkey agent (pid ${running.pid})`;
  const stop =
    running === undefined
      ? 'stop that one first (quit the Latchkey app, or end the "latchkey agent" process)'
      : running.interactive
        ? 'quit the Latchkey app first'
        : `stop that one first (kill ${running.pid})`;
  return new LatchkeyError(
    'agent_running',
    `${who} is already running on ${socketPath}, and the other latchkey commands use it, so there is no need to start one; to run this one in the foreground instead, ${stop}.`,
  );
}
