import type { ServerResponse } from 'node:http';
import { LatchkeyError } from '../core/errors';
import { readRelayRequest } from './relay-wire';
import { RelayRun } from './relay-run';

/** The relayed commands running now, by id, so that an interrupt finds its command. */
export class RelayRuns {
  private readonly running = new Map<string, RelayRun>();

  constructor(private readonly agentSocketPath: string) {}

  /** Runs the command `body` asks for, streaming frames into `response` until its exit code. */
  async run(body: unknown, response: ServerResponse): Promise<void> {
    const run = new RelayRun(readRelayRequest(body), response, this.agentSocketPath);
    this.running.set(run.id, run);
    try {
      await run.run();
    } finally {
      this.running.delete(run.id);
    }
  }

  interrupt(id: string): void {
    this.find(id).interrupt();
  }

  childExited(id: string, code: number): void {
    this.find(id).childExited(code);
  }

  private find(id: string): RelayRun {
    const run = this.running.get(id);
    if (run === undefined) throw new LatchkeyError('not_found', 'That command has already finished.');
    return run;
  }
}
