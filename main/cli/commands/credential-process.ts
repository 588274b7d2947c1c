import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';
import { fetchCredentials } from './fetch-credentials';

/**
 * `latchkey credential-process`: the AWS CLI runs this before every command, so this file
 * and what it imports stay on the lean path: node:net and small local modules only.
 */
export async function runCredentialProcess(
  ctx: CliContext,
  command: Extract<CliCommand, { name: 'credential-process' }>,
): Promise<number> {
  const credentials = await fetchCredentials(ctx, command.target, command.wait);
  // Exactly these keys, Version the integer 1 (botocore rejects any other version).
  const output = {
    Version: 1,
    AccessKeyId: credentials.AccessKeyId,
    SecretAccessKey: credentials.SecretAccessKey,
    SessionToken: credentials.SessionToken,
    Expiration: credentials.Expiration,
  };
  ctx.stdout.write(`${JSON.stringify(output)}\n`);
  return 0;
}
