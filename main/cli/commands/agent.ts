import type { CliContext } from '../cli-context';

/**
 * `latchkey agent`: the headless agent in the foreground until SIGINT or SIGTERM; exits 1
 * when another agent owns the socket. The agent (got, keytar, the config parser) loads
 * only here, in its own lazy chunk.
 */
export async function runAgent(ctx: CliContext): Promise<number> {
  const { runAgentUntilSignal } = await import('../../agent/agent');
  return runAgentUntilSignal({
    env: ctx.env,
    // The profiles the agent adds run this same Latchkey.
    latchkeyCommand: [ctx.self.command, ...ctx.self.args],
    writeLine: (line) => ctx.stderr.write(`${line}\n`),
  });
}
