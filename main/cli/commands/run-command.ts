import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';

type SlowCommand = Exclude<CliCommand, { name: 'help' | 'version' | 'credential-process' }>;

/**
 * Every command but the fast ones in main.ts. Each is an `import()`, so `latchkey agent`
 * alone loads the agent (got, keytar) and the others stay small.
 */
export async function runCommand(ctx: CliContext, command: SlowCommand): Promise<number> {
  switch (command.name) {
    case 'agent':
      return (await import('./agent')).runAgent(ctx);
    case 'login':
      return (await import('./login')).runLogin(ctx, command);
    case 'logout':
      return (await import('./logout')).runLogout(ctx, command);
    case 'status':
      return (await import('./status')).runStatus(ctx, command);
    case 'doctor':
      return (await import('./doctor')).runDoctor(ctx, command);
    case 'accounts':
      return (await import('./accounts')).runAccounts(ctx, command);
    case 'export':
      return (await import('./export')).runExport(ctx, command);
    case 'exec':
      return (await import('./exec')).runExec(ctx, command);
    case 'console':
      return (await import('./console')).runConsole(ctx, command);
    case 'setup-profiles':
      return (await import('./setup-profiles')).runSetupProfiles(ctx, command);
  }
}
