import { connect, type Socket } from 'node:net';

/** One request as a credential_process client writes it, and the answer's check. */
export interface LoadTarget {
  /** The exact bytes of the request, head and all. */
  request: string;
  /** Given each complete answer's status and body; returns a reason for a bad one, else undefined. */
  check(status: number, body: string): string | undefined;
}

export interface LoadOptions {
  socketPath: string;
  /** Requests kept in flight at every moment: each one that ends is replaced at once. */
  concurrency: number;
  /** Stop starting new requests after this long (those in flight are let finish)... */
  durationMs?: number;
  /** ...or after this many have been started. */
  totalRequests?: number;
  /** Picks the target of the n-th request. */
  target(n: number): LoadTarget;
  /** A request that takes longer than this counts as failed. */
  requestTimeoutMs?: number;
}

export interface LoadResult {
  requests: number;
  failures: number;
  /** The first few reasons, for the assertion message. */
  failureSamples: string[];
  seconds: number;
  requestsPerSecond: number;
  /** Latency percentiles of the requests, in ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connects retried because the server's listen backlog was full (EAGAIN), as a blocking connect would have waited. */
  backlogRetries: number;
}

const FAILURE_SAMPLES = 10;
/** How long the generator waits before connecting again to a full backlog. */
const BACKLOG_RETRY_MS = 5;

/**
 * A closed-loop load over raw node:net: `concurrency` connections at once, one request
 * each, as the native client and the Node CLI's fast path make them (one connection per
 * request, the request written at once, the answer read to the end). Why not node:http:
 * its client builds a parser, an agent and a request object per call, which on this
 * shared 2-core machine would cost the generator more CPU than the server it measures and
 * flatten the difference between the agent and the floor; the same bytes over net cost
 * little more than the syscalls. Answers are read whole (the server closes the
 * connection after each, as it does for HTTP/1.0 and `Connection: close`) and parsed
 * only as far as the status line and the body.
 */
export async function generateLoad(options: LoadOptions): Promise<LoadResult> {
  const { concurrency, socketPath } = options;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const started = process.hrtime.bigint();
  const deadline = options.durationMs === undefined ? undefined : Date.now() + options.durationMs;
  const latencies: number[] = [];
  const failureSamples: string[] = [];
  let startedCount = 0;
  let failures = 0;
  const retries = { count: 0 };

  function more(): boolean {
    if (options.totalRequests !== undefined && startedCount >= options.totalRequests) return false;
    return deadline === undefined || Date.now() < deadline;
  }

  async function lane(): Promise<void> {
    while (more()) {
      const n = startedCount;
      startedCount += 1;
      const t0 = process.hrtime.bigint();
      const problem = await oneRequest(socketPath, options.target(n), timeoutMs, retries);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (problem !== undefined) {
        failures += 1;
        if (failureSamples.length < FAILURE_SAMPLES) failureSamples.push(problem);
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, () => lane()));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    requests: startedCount,
    failures,
    failureSamples,
    seconds: round(seconds),
    requestsPerSecond: Math.round(startedCount / seconds),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: round(latencies.at(-1) ?? 0),
    backlogRetries: retries.count,
  };
}

/**
 * Resolves undefined for a good answer, else what was wrong with it. A connect refused
 * with EAGAIN (the server's listen backlog is full) is made again after a moment: the
 * native client's connect blocks in the kernel until the backlog has room, which node:net,
 * non-blocking, cannot do; the retries are counted, not hidden.
 */
function oneRequest(socketPath: string, target: LoadTarget, timeoutMs: number, retries: { count: number }): Promise<string | undefined> {
  return new Promise((resolve) => {
    let socket: Socket;
    let chunks: Buffer[] = [];
    let settled = false;
    const finish = (problem: string | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    };
    const timer = setTimeout(() => finish(`no answer within ${timeoutMs} ms`), timeoutMs);
    function attempt(): void {
      chunks = [];
      let connected = false;
      socket = connect(socketPath);
      socket.on('connect', () => {
        connected = true;
        socket.write(target.request);
      });
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (!connected && error.code === 'EAGAIN' && !settled) {
          retries.count += 1;
          socket.destroy();
          setTimeout(attempt, BACKLOG_RETRY_MS);
          return;
        }
        finish(`socket error ${error.code ?? error.message}${connected ? ' after connecting' : ' connecting'}`);
      });
      socket.on('end', () => finish(checkAnswer(Buffer.concat(chunks).toString('utf8'), target)));
    }
    attempt();
  });
}

function checkAnswer(raw: string, target: LoadTarget): string | undefined {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) return raw === '' ? 'closed without an answer' : `cut off: ${raw.slice(0, 80)}`;
  const status = Number(/^HTTP\/1\.[01] (\d{3}) /.exec(raw)?.[1] ?? 0);
  const head = raw.slice(0, headEnd);
  let body = raw.slice(headEnd + 4);
  if (/\r\ntransfer-encoding: chunked/i.test(head)) body = unchunk(body);
  return target.check(status, body);
}

function unchunk(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    const size = Number.parseInt(text.slice(at, lineEnd), 16);
    if (!(size > 0)) return out;
    out += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Two runs as one: counts and time summed; latency percentiles are the worse round's (they cannot be merged). */
export function combineRounds(first: LoadResult, second: LoadResult): LoadResult {
  const requests = first.requests + second.requests;
  const seconds = first.seconds + second.seconds;
  return {
    requests,
    failures: first.failures + second.failures,
    failureSamples: [...first.failureSamples, ...second.failureSamples].slice(0, FAILURE_SAMPLES),
    seconds,
    requestsPerSecond: Math.round(requests / seconds),
    p50Ms: Math.max(first.p50Ms, second.p50Ms),
    p99Ms: Math.max(first.p99Ms, second.p99Ms),
    maxMs: Math.max(first.maxMs, second.maxMs),
    backlogRetries: first.backlogRetries + second.backlogRetries,
  };
}
