import { homedir } from 'node:os';
import { isLatchkeyError } from '../core/errors';
import { startAgent, type AgentOptions, type RunningAgent } from './agent';
import { createStderrLogger } from './stderr-logger';

/** As for startAgent; `platform` and `homeDir` default to this process's. */
export interface RunAgentOptions extends Omit<AgentOptions, 'platform' | 'homeDir'> {
  platform?: NodeJS.Platform;
  homeDir?: string;
  /** Where the one-line messages go; process.stderr by default. */
  writeLine?: (line: string) => void;
  /** The process to take SIGTERM and SIGINT from; `process` by default. */
  signals?: Pick<NodeJS.Process, 'once' | 'off'>;
}

/**
 * `latchkey agent`: runs the agent in the foreground until SIGTERM or SIGINT, then shuts
 * down cleanly (socket removed, no keychain write cut in half) and resolves the exit
 * code: 0 after a clean stop, 1 when it could not start, another agent running included.
 * It never calls process.exit; the CLI's entry point does.
 */
export async function runAgentUntilSignal(options: RunAgentOptions): Promise<number> {
  const writeLine = options.writeLine ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const signals = options.signals ?? process;
  const logger = options.logger ?? createStderrLogger({ debug: options.env.LATCHKEY_DEBUG === '1' });
  let agent: RunningAgent;
  let stopRequested: () => void = () => undefined;
  const shutdownRequested = new Promise<'shutdown'>((resolve) => {
    stopRequested = () => resolve('shutdown');
  });
  try {
    agent = await startAgent({
      ...options,
      platform: options.platform ?? process.platform,
      homeDir: options.homeDir ?? homedir(),
      logger,
      // The desktop app asks a headless agent to hand over the socket (docs/contract.md section 4).
      onShutdownRequest: () => setImmediate(stopRequested),
    });
  } catch (error) {
    // Prefixed as every other latchkey command's errors are (run-cli.ts), so it reads as the refusal it is.
    if (isLatchkeyError(error)) {
      writeLine(`latchkey: ${error.message}`);
    } else {
      writeLine('latchkey: The Latchkey agent could not start; run it with LATCHKEY_DEBUG=1 for details.');
      logger.debug('Start failure', { message: error instanceof Error ? error.stack : String(error) });
    }
    return 1;
  }
  writeLine(`Latchkey agent ready on ${agent.socketPath}.`);
  let onSignal: (name: NodeJS.Signals) => void = () => undefined;
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = resolve;
    signals.once('SIGTERM', onSignal);
    signals.once('SIGINT', onSignal);
  });
  const reason = await Promise.race([signalled, shutdownRequested]);
  signals.off('SIGTERM', onSignal);
  signals.off('SIGINT', onSignal);
  if (reason === 'shutdown') writeLine('Handing over to the Latchkey app.');
  logger.info('Stopping', { reason });
  await agent.close();
  return 0;
}
