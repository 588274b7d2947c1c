import { LatchkeyError } from '../core/errors';
import { LATCHKEY_VERSION } from '../core/version';
import { parseCliArgs, type CliCommand } from './cli-args';
import { createCliContext, type CliContext } from './cli-context';
import { runCredentialProcess } from './commands/credential-process';
import { EXIT_FAILURE, exitCodeFor } from './exit-codes';

/**
 * The `latchkey` entry point: parses, dispatches, and turns errors into exit codes. Only
 * `credential-process` is imported statically: the AWS CLI runs it on every call, so the
 * entry chunk holds node:http and small modules only. Every other command is loaded with
 * `import()`, which esbuild (splitting on) emits as a separate chunk.
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
    case 'agent':
      return (await import('./commands/agent')).runAgent(ctx);
    case 'login':
      return (await import('./commands/login')).runLogin(ctx, command);
    case 'logout':
      return (await import('./commands/logout')).runLogout(ctx, command);
    case 'status':
      return (await import('./commands/status')).runStatus(ctx, command);
    case 'accounts':
      return (await import('./commands/accounts')).runAccounts(ctx, command);
    case 'export':
      return (await import('./commands/export')).runExport(ctx, command);
    case 'exec':
      return (await import('./commands/exec')).runExec(ctx, command);
    case 'setup-profiles':
      return (await import('./commands/setup-profiles')).runSetupProfiles(ctx, command);
  }
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
  const ctx = createCliContext(process);
  try {
    return await dispatch(ctx, parseCliArgs(process.argv.slice(2)));
  } catch (error) {
    return report(ctx, error);
  }
}

// The one place the exit code is set. exitCode rather than exit(), so stdout is flushed
// when it is a pipe (the AWS CLI reads credential_process output through one).
process.exitCode = await main();
