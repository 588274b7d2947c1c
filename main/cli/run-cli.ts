import { LatchkeyError } from '../core/errors';
import { printable, printableLines } from '../core/printable-text';
import { LATCHKEY_VERSION } from '../core/version';
import { parseCliArgs, type CliCommand } from './cli-args';
import { createCliContext, type CliContext } from './cli-context';
import { runCredentialProcess } from './commands/credential-process';
import { runCommand } from './commands/run-command';
import { EXIT_FAILURE, exitCodeFor } from './exit-codes';

/**
 * The whole `latchkey` command: parses, dispatches, and turns errors into exit codes
 * (the entry, main.ts, sets the process's exit code from the result).
 */
export function runCli(proc: NodeJS.Process): Promise<number> {
  const ctx = createCliContext(proc, async () => (await import('./agent-launcher')).ensureAgentRunning);
  return runCliArgs(ctx, proc.argv.slice(2));
}

/** The command line `args` against `ctx`: this process's, or a native client's (main/relay). */
export async function runCliArgs(ctx: CliContext, args: readonly string[]): Promise<number> {
  try {
    return await dispatch(ctx, parseCliArgs(args, ctx.env));
  } catch (error) {
    return report(ctx, error);
  }
}

function dispatch(ctx: CliContext, command: CliCommand): Promise<number> | number {
  switch (command.name) {
    case 'help':
      ctx.stdout.write(command.text);
      return 0;
    case 'version':
      ctx.stdout.write(`${LATCHKEY_VERSION}\n`);
      return 0;
    case 'credential-process':
      return runCredentialProcess(ctx, command);
    default:
      return runCommand(ctx, command);
  }
}

/**
 * One sentence on stderr; the stack only with LATCHKEY_DEBUG=1. Messages never carry
 * secrets, but they may come from the agent's socket (or whatever answers there), so
 * nothing in them may reach the terminal as a control character.
 */
function report(ctx: CliContext, error: unknown): number {
  if (ctx.env['LATCHKEY_DEBUG'] === '1' && error instanceof Error) ctx.stderr.write(`${printableLines(error.stack ?? error.message)}\n`);
  if (error instanceof LatchkeyError) {
    ctx.stderr.write(`latchkey: ${printableLines(error.message)}\n`);
    return exitCodeFor(error.code);
  }
  const detail = error instanceof Error ? error.message : String(error);
  ctx.stderr.write(`latchkey: unexpected error (${printable(detail)}); run again with LATCHKEY_DEBUG=1 for details.\n`);
  return EXIT_FAILURE;
}
