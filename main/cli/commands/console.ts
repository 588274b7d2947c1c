import { LatchkeyError } from '../../core/errors';
import { printable } from '../../core/printable-text';
import { readConsole } from '../agent-responses';
import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';
import { credentialTargetBody } from '../credential-query';
import { configFileHeaders } from '../own-config-file';
import { withLoginHint } from './fetch-credentials';

/** A listing to resolve a name, the role's credentials and the federation call, with the portal's retries. */
const CONSOLE_TIMEOUT_MS = 120_000;

/**
 * `latchkey console`: the AWS console signed in as the role, opened by the agent in the
 * browser through a one-shot link; `--print` prints the sign-in URL instead, the only way
 * that URL (a bearer secret for 15 minutes) ever leaves the agent.
 */
export async function runConsole(ctx: CliContext, command: Extract<CliCommand, { name: 'console' }>): Promise<number> {
  const body = {
    ...credentialTargetBody(command.target),
    ...(command.region === undefined ? {} : { region: command.region }),
    ...(command.destination === undefined ? {} : { destination: command.destination }),
    open: !command.print,
  };
  const headers = configFileHeaders(ctx.env, ctx.homeDir);
  try {
    const answer = await ctx.withAgent((client) => client.call({ method: 'POST', path: '/v1/console', body, read: readConsole, headers, timeoutMs: CONSOLE_TIMEOUT_MS }));
    if (command.print) {
      if (answer.url === undefined) throw new LatchkeyError('malformed_response', 'The Latchkey agent sent no sign-in URL to print.');
      ctx.stdout.write(`${answer.url}\n`);
      return 0;
    }
    ctx.stderr.write(`${printable(`Opened the AWS console as ${answer.roleName} in ${answer.accountId}: ${answer.destination}`)}\n`);
    return 0;
  } catch (error) {
    throw withLoginHint(error, command.target);
  }
}
