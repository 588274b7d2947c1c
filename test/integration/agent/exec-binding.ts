import { request, type ClientRequest } from 'node:http';
import type { ExecEndpointResponse } from '../../../main/agent/agent-wire-types';

/**
 * A container-credentials binding held as `latchkey exec` holds it: `POST /v1/exec-endpoints`
 * over the agent's socket, whose event stream carries the endpoint first and lasts as long
 * as the binding. `close()` drops the connection, as a dying `exec` would.
 */
export class HeldBinding {
  ended = false;
  private readonly endWaiters: (() => void)[] = [];

  private constructor(
    private readonly req: ClientRequest,
    readonly endpoint: ExecEndpointResponse,
  ) {}

  /** Resolves once the first event (the endpoint) arrives; rejects with the status and body of a refusal. */
  static open(socketPath: string, body: object = { profile: 'dev' }): Promise<HeldBinding> {
    return new Promise((resolve, reject) => {
      const req = request(
        { socketPath, method: 'POST', path: '/v1/exec-endpoints', agent: false, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.setEncoding('utf8');
          let buffer = '';
          let binding: HeldBinding | undefined;
          res.on('data', (chunk: string) => {
            buffer += chunk;
            if (binding !== undefined) return;
            if (res.statusCode !== 201) return;
            const end = buffer.indexOf('\n\n');
            const data = buffer.slice(0, Math.max(end, 0)).split('\n').find((line) => line.startsWith('data: '));
            if (data === undefined) return;
            binding = new HeldBinding(req, JSON.parse(data.slice(6)) as ExecEndpointResponse);
            resolve(binding);
          });
          res.on('close', () => {
            if (binding === undefined) {
              reject(Object.assign(new Error(`POST /v1/exec-endpoints answered ${res.statusCode}: ${buffer}`), { status: res.statusCode, body: buffer }));
              return;
            }
            binding.ended = true;
            for (const wake of binding.endWaiters.splice(0)) wake();
          });
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  get port(): number {
    return Number(new URL(this.endpoint.url).port);
  }

  /** Settles when the agent ends the stream (or `close()` was called). */
  untilEnded(): Promise<void> {
    return this.ended ? Promise.resolve() : new Promise((resolve) => this.endWaiters.push(resolve));
  }

  close(): void {
    this.req.destroy();
  }
}

/** A GET as the SDKs' container provider sends it. */
export function containerGet(url: string, token: string, timeoutMs = 5000): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Authorization: token }, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, json: text === '' ? undefined : JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('the container-credentials GET timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Polls until `check` resolves true or `timeoutMs` passes; returns the time it took, or throws. */
export async function within(timeoutMs: number, check: () => Promise<boolean>, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether a TCP connect to 127.0.0.1:port is refused (nothing listens there any more). */
export function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(false);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    req.end();
  });
}
