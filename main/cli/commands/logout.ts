import { ignoreBody } from '../agent-responses';
import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';

/** `latchkey logout`: portal Logout, then the keychain records go (the agent does both). */
export async function runLogout(ctx: CliContext, command: Extract<CliCommand, { name: 'logout' }>): Promise<number> {
  const session = command.session;
  const path = session === undefined ? '/v1/sign-out' : `/v1/sessions/${encodeURIComponent(session)}/sign-out`;
  await ctx.withAgent((client) => client.call({ method: 'POST', path, read: ignoreBody }));
  ctx.stdout.write(session === undefined ? 'Signed out of every session.\n' : `Signed out of ${session}.\n`);
  return 0;
}
