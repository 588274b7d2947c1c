import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { isAbsolute, resolve } from 'node:path';
import { AgentClient } from '../cli/agent-client';
import type { CliContext, OutputStream } from '../cli/cli-context';
import { EXIT_USAGE } from '../cli/exit-codes';
import { runCliArgs } from '../cli/run-cli';
import { isWsl } from '../core/wsl-detection';
import { readKernelRelease } from '../files/kernel-release';
import { exitPayload, frame, FRAME, runChildPayload, type RelayRequest } from './relay-wire';

/** What a shell reports for a command that ended on a signal it did not survive (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;

/** Variables naming files that the CLI reads: a relative one means the client's directory. */
const PATH_VARIABLES = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'];

/**
 * One command of a native client, run in the agent's process by the same TypeScript that
 * runs it in the Node CLI (runCliArgs): only the context differs. Output goes back as
 * frames; `exec`'s child is sent back to be run by the client, in the user's terminal.
 */
export class RelayRun {
  readonly id = randomBytes(16).toString('hex');
  private readonly interruptListeners = new Set<() => void>();
  private readonly gone: Promise<void>;
  private childExit: ((code: number) => void) | undefined;

  constructor(
    private readonly request: RelayRequest,
    private readonly response: ServerResponse,
    private readonly agentSocketPath: string,
  ) {
    // The client is gone (it exited, was killed, or the user pressed Ctrl+C twice): as
    // after an interrupt, a sign-in it started is cancelled rather than left running for no one.
    this.gone = new Promise((settle) => response.once('close', () => settle()));
    void this.gone.then(() => this.interrupt());
  }

  async run(): Promise<void> {
    this.response.writeHead(200, { 'Content-Type': 'application/vnd.latchkey.relay', 'Cache-Control': 'no-store' });
    this.send(FRAME.id, Buffer.from(this.id, 'ascii'));
    const code = this.request.args[0] === 'agent' ? this.refuseAgent() : await runCliArgs(this.context(), this.request.args);
    this.send(FRAME.exit, exitPayload(code));
    this.response.end();
  }

  /** The client's word that exec's child exited, with its code. */
  childExited(code: number): void {
    this.childExit?.(code);
  }

  /** Ctrl+C in the client: what a SIGINT does to the Node CLI. */
  interrupt(): void {
    for (const listener of [...this.interruptListeners]) listener();
  }

  private refuseAgent(): number {
    // The native client runs `latchkey agent` itself; an agent must never start inside another.
    this.send(FRAME.stderr, Buffer.from('latchkey: "latchkey agent" runs in its own process, not through a running agent.\n'));
    return EXIT_USAGE;
  }

  private context(): CliContext {
    const request = this.request;
    const client = new AgentClient(this.agentSocketPath);
    return {
      env: clientEnvironment(request),
      platform: process.platform,
      // The client runs on this machine, in the environment it sent.
      get wsl() {
        return process.platform === 'linux' && isWsl(clientEnvironment(request), readKernelRelease());
      },
      homeDir: request.home,
      stdout: this.stream(FRAME.stdout, request.terminal.stdout),
      stderr: this.stream(FRAME.stderr, request.terminal.stderr),
      client,
      self: { command: request.exe, args: [] },
      withAgent: (use) => use(client),
      pid: request.pid,
      onInterrupt: (listener) => {
        this.interruptListeners.add(listener);
        return () => void this.interruptListeners.delete(listener);
      },
      runChild: (file, args, env) => {
        // The client runs the child and says when it exited (relay-runs.ts); `exec` keeps
        // the child's endpoint bound until then, cleans up, and its exit code, the
        // child's, is the last frame. A client that goes away first took its child with it.
        const exited = new Promise<number>((settle) => {
          this.childExit = settle;
          void this.gone.then(() => settle(EXIT_INTERRUPTED));
        });
        this.send(FRAME.runChild, runChildPayload(file, args, env));
        return exited;
      },
    };
  }

  private stream(type: number, isTTY: boolean): OutputStream {
    return { write: (text) => this.send(type, Buffer.from(text, 'utf8')), isTTY };
  }

  private send(type: number, payload: Buffer): void {
    if (!this.response.destroyed && !this.response.writableEnded) this.response.write(frame(type, payload));
  }
}

function clientEnvironment(request: RelayRequest): Record<string, string> {
  const env: Record<string, string | undefined> = { ...request.env };
  for (const name of PATH_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '' && !value.startsWith('~') && !isAbsolute(value)) env[name] = resolve(request.cwd, value);
  }
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
