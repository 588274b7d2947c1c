import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';
import { exportCommands } from '../../core/export-commands';
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
  ctx.stdout.write(exportCommands(c, regionVariables(ctx.env, await regionSourcesFor(ctx, command.target))));
  return 0;
}
