import { LatchkeyError } from '../core/errors';
import { LATCHKEY_VERSION } from '../core/version';
import { parseCliArgs, type CliCommand } from './cli-args';
import { createCliContext, type CliContext } from './cli-context';
import { runCredentialProcess } from './commands/credential-process';
import { EXIT_FAILURE, exitCodeFor } from './exit-codes';
import type * as commandsModule from './commands/run-command';

type CommandsModule = typeof commandsModule;
declare const latchkeyEntryUrl: () => string;

/**
 * The `latchkey` entry point: parses, dispatches, and turns errors into exit codes.
 * `credential-process` runs here, in this one bundled file: the AWS CLI runs it before
 * every command, so it loads node:net and small modules only. Every other command lives
 * in `commands.mjs`, loaded from beside this file only when one of them runs.
 */
async function dispatch(ctx: CliContext, command: CliCommand): Promise<number> {
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
      return (await loadCommands()).runCommand(ctx, command);
  }
}

/**
 * `commands.mjs` beside this file, by a URL computed at run time so that esbuild leaves
 * the import alone. This file is built as CommonJS (scripts/build.mjs), whose banner defines
 * `latchkeyEntryUrl()` from `__filename`.
 */
async function loadCommands(): Promise<CommandsModule> {
  return (await import(new URL('./commands.mjs', latchkeyEntryUrl()).href)) as CommandsModule;
}

async function loadAgentLauncher(): Promise<CommandsModule['ensureAgentRunning']> {
  return (await loadCommands()).ensureAgentRunning;
}

/** One sentence on stderr; the stack only with LATCHKEY_DEBUG=1. Messages never carry secrets. */
function report(ctx: CliContext, error: unknown): number {
  if (ctx.env['LATCHKEY_DEBUG'] === '1' && error instanceof Error) ctx.stderr.write(`${error.stack ?? error.message}\n`);
  if (error instanceof LatchkeyError) {
    ctx.stderr.write(`latchkey: ${error.message}\n`);
    return exitCodeFor(error.code);
  }
  const detail = error instanceof Error ? error.message : String(error);
  ctx.stderr.write(`latchkey: unexpected error (${detail}); run again with LATCHKEY_DEBUG=1 for details.\n`);
  return EXIT_FAILURE;
}

async function main(): Promise<number> {
  const ctx = createCliContext(process, loadAgentLauncher);
  try {
    return await dispatch(ctx, parseCliArgs(process.argv.slice(2)));
  } catch (error) {
    return report(ctx, error);
  }
}

// The one place the exit code is set. exitCode rather than exit(), so stdout is flushed
// when it is a pipe (the AWS CLI reads credential_process output through one).
void main().then((code) => {
  process.exitCode = code;
});
