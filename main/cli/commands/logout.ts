import { ClockText } from '../../core/clock-text';
import { awsNotToldSentence } from '../../core/sign-out-notice';
import { readSignOut } from '../agent-responses';
import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';
import { clockLocale } from '../clock-locale';

/**
 * `latchkey logout`: portal Logout, then the keychain records go (the agent does both).
 * When AWS could not be told, the sign-out still stands here, and stderr says until when
 * the token stays valid at AWS: someone signing out of a lost or shared machine needs to
 * know to end the session on the portal too.
 */
export async function runLogout(ctx: CliContext, command: Extract<CliCommand, { name: 'logout' }>): Promise<number> {
  const session = command.session;
  const path = session === undefined ? '/v1/sign-out' : `/v1/sessions/${encodeURIComponent(session)}/sign-out`;
  const notTold = await ctx.withAgent((client) => client.call({ method: 'POST', path, read: readSignOut }));
  ctx.stdout.write(session === undefined ? 'Signed out of every session.\n' : `Signed out of ${session}.\n`);
  const clock = new ClockText(clockLocale(ctx.env));
  for (const { session: name, code, tokenValidUntilMs } of notTold) {
    ctx.stderr.write(`${awsNotToldSentence(name, clock.time(tokenValidUntilMs, Date.now()), code)}\n`);
  }
  return 0;
}
