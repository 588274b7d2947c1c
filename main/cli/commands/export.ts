import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';
import { regionVariables } from '../../core/region-variables';
import { regionSourcesFor } from '../target-region';
import { fetchCredentials } from './fetch-credentials';

/** `latchkey export`: `eval "$(latchkey export --profile P)"`, or the credential_process JSON. */
export async function runExport(ctx: CliContext, command: Extract<CliCommand, { name: 'export' }>): Promise<number> {
  const c = await fetchCredentials(ctx, command.target, false);
  if (command.format === 'json') {
    const output = { Version: 1, AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expiration };
    ctx.stdout.write(`${JSON.stringify(output)}\n`);
    return 0;
  }
  const lines = [
    ['AWS_ACCESS_KEY_ID', c.AccessKeyId],
    ['AWS_SECRET_ACCESS_KEY', c.SecretAccessKey],
    ['AWS_SESSION_TOKEN', c.SessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', c.Expiration],
    ...Object.entries(regionVariables(ctx.env, await regionSourcesFor(ctx, command.target))),
  ].map(([name, value]) => `export ${name}=${shellQuote(value ?? '')}\n`);
  ctx.stdout.write(lines.join(''));
  return 0;
}

/** POSIX single quotes: nothing inside is special except `'`, written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
