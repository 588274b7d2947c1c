import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';
import { credentialProcessLine } from '../credential-process-output';
import { fetchCredentials } from './fetch-credentials';

/**
 * `latchkey credential-process`, every case: the usual one (a profile, the agent answers
 * with credentials) is answered before this runs, by fast-credential-process.ts; this
 * handles the rest (other targets, starting an agent, waiting for a sign-in, errors).
 */
export async function runCredentialProcess(
  ctx: CliContext,
  command: Extract<CliCommand, { name: 'credential-process' }>,
): Promise<number> {
  ctx.stdout.write(credentialProcessLine(await fetchCredentials(ctx, command.target, command.wait)));
  return 0;
}
