import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { LatchkeyError } from '../core/errors';
import { systemErrorCode } from '../core/system-error-code';
import { assertTrustedSocket } from '../files/trusted-path';

/**
 * The most of an answer the CLI reads, headers included. The largest real one, the
 * account listing of a big organisation, is a few MiB; without a bound, a runaway agent
 * streaming forever would grow the CLI's memory until the system killed it.
 */
export const AGENT_ANSWER_MAX_BYTES = 16 * 1024 * 1024;

/** How long a connect refused for a full listen backlog (EAGAIN) waits before it is made again. */
const BACKLOG_RETRY_MS = 10;

export interface SocketHttpRequest {
  method: string;
  path: string;
  headers: Readonly<Record<string, string>>;
  body?: string;
  timeoutMs: number;
}

export interface SocketHttpAnswer {
  status: number;
  text: string;
}

/**
 * One HTTP/1.1 request with `Connection: close` to the agent's Unix socket over plain
 * node:net. Why not node:http: `credential_process` runs before every AWS CLI command,
 * and loading node:http and setting up its parser for one request costs a Node process
 * about 10 ms, a quarter of Node's own start (`npm run bench`). The agent is ours and
 * answers with Content-Length or chunked bodies, which is all this reads. Connection
 * failures reject with the socket error (its `code` intact) for the caller to classify.
 */
export function socketHttpExchange(socketPath: string, request: SocketHttpRequest): Promise<SocketHttpAnswer> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + request.timeoutMs;
    let socket: Socket;
    const timer = setTimeout(() => {
      socket.destroy(new LatchkeyError('timeout', `The Latchkey agent did not answer within ${Math.round(request.timeoutMs / 1000)} seconds.`));
    }, request.timeoutMs);
    function attempt(): void {
      socket = connectToAgent(socketPath);
      exchange(socket);
    }
    function exchange(current: Socket): void {
      const answer = collectAnswer(current);
      let connected = false;
      current.on('connect', () => {
        connected = true;
        const body = request.body ?? '';
        const head = [`${request.method} ${request.path} HTTP/1.1`, 'Connection: close'];
        for (const [name, value] of Object.entries(request.headers)) head.push(`${name}: ${value}`);
        if (body !== '') head.push(`Content-Length: ${Buffer.byteLength(body)}`);
        // write, not end: a half-closed socket lets the agent's HTTP server drop the
        // connection before it answers. The agent closes it after its answer (Connection: close).
        current.write(`${head.join('\r\n')}\r\n\r\n${body}`);
      });
      current.on('error', (error) => {
        // A full listen backlog (a burst of callers while the agent is busy): the native
        // client's blocking connect waits in the kernel for room, and so does this one,
        // within the request's own time. Nothing was sent, so nothing is sent twice.
        if (!connected && systemErrorCode(error) === 'EAGAIN' && Date.now() + BACKLOG_RETRY_MS < deadline) {
          current.destroy();
          setTimeout(() => {
            try {
              attempt();
            } catch (retryError) {
              clearTimeout(timer);
              reject(retryError);
            }
          }, BACKLOG_RETRY_MS);
          return;
        }
        clearTimeout(timer);
        // Once connected, a reset is the agent going away mid-request, not "no agent".
        reject(connected && !(error instanceof LatchkeyError) ? agentStopped(error) : error);
      });
      current.on('end', () => {
        clearTimeout(timer);
        current.end();
        const raw = answer();
        // The agent closed the connection before its answer's head was complete: it stopped.
        if (raw.indexOf('\r\n\r\n') < 0) {
          reject(agentStopped());
          return;
        }
        try {
          resolve(parseAnswer(raw));
        } catch (error) {
          reject(error);
        }
      });
    }
    try {
      attempt();
    } catch (error) {
      clearTimeout(timer);
      throw error;
    }
  });
}

/**
 * Every connection a client makes to the agent goes through here: before a byte is sent,
 * the socket and the path to it must exist and be this user's alone (main/files/trusted-path.ts).
 * Without the check, another user who made the socket directory first would receive the
 * request, and could answer credential_process with credentials of their choosing.
 */
export function connectToAgent(socketPath: string): Socket {
  // Nothing at the path: no agent, and no connect, which could otherwise reach whatever
  // another user created there in the meantime. Reported as the connect would report it.
  if (assertTrustedSocket(socketPath) === 'absent') {
    throw Object.assign(new Error(`connect ENOENT ${socketPath}`), { code: 'ENOENT' });
  }
  return connect(socketPath);
}

function parseAnswer(raw: Buffer): SocketHttpAnswer {
  const headEnd = raw.indexOf('\r\n\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(raw.subarray(0, Math.max(headEnd, 0)).toString('latin1'));
  if (headEnd < 0 || statusLine === null) throw malformed();
  const head = raw.subarray(0, headEnd).toString('latin1').toLowerCase();
  const body = raw.subarray(headEnd + 4);
  const text = /\r\ntransfer-encoding:[^\r]*chunked/.test(head) ? dechunk(body) : body.toString('utf8');
  return { status: Number(statusLine[1]), text };
}

function dechunk(body: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) throw malformed();
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) throw malformed();
    if (size === 0) return Buffer.concat(parts).toString('utf8');
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** The code of the error for an agent that went away mid-request; agent-client.ts words it. */
export const AGENT_STOPPED = 'LATCHKEY_AGENT_STOPPED';

function agentStopped(cause?: unknown): Error {
  return Object.assign(new Error('The Latchkey agent closed the connection before it answered.', { cause }), { code: AGENT_STOPPED });
}

/**
 * Gathers what the agent sends on `stream` up to AGENT_ANSWER_MAX_BYTES, and destroys the
 * stream with `malformed_response` past it; the returned function gives what came.
 */
export function collectAnswer(stream: Readable): () => Buffer {
  const chunks: Buffer[] = [];
  let received = 0;
  stream.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received <= AGENT_ANSWER_MAX_BYTES) chunks.push(chunk);
    else stream.destroy(new LatchkeyError('malformed_response', `The Latchkey agent sent an answer larger than ${AGENT_ANSWER_MAX_BYTES / 1024 / 1024} MiB; the CLI stopped reading it.`));
  });
  return () => Buffer.concat(chunks);
}

function malformed(): LatchkeyError {
  return new LatchkeyError('malformed_response', 'The Latchkey agent sent an answer that is not HTTP.');
}
