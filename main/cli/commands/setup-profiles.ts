import { rewriteAwsConfig } from '../../aws/aws-config-rewrite';
import { parseAwsConfig } from '../../core/aws-config';
import { updateProfileBlock } from '../../core/aws-config-profile-block';
import { commandDialectFor } from '../../core/credential-process-command';
import type { PlannedProfile } from '../../core/profile-names';
import { printable } from '../../core/printable-text';
import { listAccounts } from '../account-listing';
import { readStatus } from '../agent-responses';
import type { CliCommand } from '../cli-args';
import type { CliContext, OutputStream } from '../cli-context';

/**
 * `latchkey setup-profiles --session NAME`: one profile per account and role, written
 * into Latchkey's own block of the AWS config. Nothing is written when the block is
 * already up to date; otherwise a backup of what was read comes first, then an atomic
 * replace; both keep the file's mode.
 */
export async function runSetupProfiles(ctx: CliContext, command: Extract<CliCommand, { name: 'setup-profiles' }>): Promise<number> {
  const session = command.session;
  // The listing `latchkey accounts` just made is reused; --refresh lists anew.
  const accounts = await listAccounts(ctx, session, command.refresh);
  const { configPath, edit: update } = await rewriteAwsConfig({ env: ctx.env, homeDir: ctx.homeDir }, async (text, configPath) => {
    const ssoRegion = await sessionRegion(ctx, session, text, configPath);
    return updateProfileBlock(text ?? '', {
      session,
      accounts,
      latchkeyCommand: [ctx.self.command, ...ctx.self.args],
      dialect: commandDialectFor(ctx.platform),
      ...(command.region === undefined ? {} : { region: command.region }),
      ...(ssoRegion === undefined ? {} : { ssoRegion }),
    });
  });
  if (update.profiles.length === 0) {
    writeLine(ctx.stderr, `latchkey: the session ${session} has no accounts or roles assigned; the block in ${configPath} lists none.`);
  }
  if (!update.changed) {
    writeLine(ctx.stdout, `The ${update.profiles.length} profiles for ${session} in ${configPath} are already up to date.`);
    return 0;
  }
  const inRegion = update.region === undefined ? '' : ` (region ${update.region})`;
  writeLine(ctx.stdout, `Wrote ${update.profiles.length} profiles for ${session}${inRegion} to ${configPath}:`);
  for (const p of update.profiles) {
    const ownRegion = p.region !== undefined && p.region !== update.region ? `, region ${p.region} as you set it` : '';
    writeLine(ctx.stdout, `  ${p.name}  (${p.accountId} ${p.roleName}${ownRegion})${statusNote(p)}`);
  }
  if (update.removed.length > 0) {
    const count = update.removed.length;
    writeLine(
      ctx.stdout,
      count === 1
        ? 'Removed 1 profile whose role is no longer assigned; its name stays reserved for that role:'
        : `Removed ${count} profiles whose roles are no longer assigned; their names stay reserved for those roles:`,
    );
    for (const p of update.removed) writeLine(ctx.stdout, `  ${p.name}  (${p.accountId} ${p.roleName})`);
  }
  return 0;
}

/**
 * The session's sso_region, the profiles' region unless --region says otherwise: from the
 * file being written, where the profiles' sso-session normally is; else from the agent,
 * which found the session somewhere (its own config file) to list the accounts.
 */
async function sessionRegion(ctx: CliContext, session: string, text: string | undefined, configPath: string): Promise<string | undefined> {
  const own = text === undefined ? undefined : parseAwsConfig(text, configPath).ssoSessions.get(session)?.region;
  if (own !== undefined) return own;
  const status = await ctx.withAgent((client) => client.call({ method: 'GET', path: '/v1/status', read: readStatus }));
  return status.sessions.find((s) => s.name === session)?.region;
}

/** The session and the path come from the command line and the environment: shown, never obeyed, by the terminal. */
function writeLine(stream: OutputStream, line: string): void {
  stream.write(`${printable(line)}\n`);
}

/** What changed about a profile's name, for the user whose scripts name it. */
function statusNote(profile: PlannedProfile): string {
  switch (profile.status) {
    case 'kept':
      return '';
    case 'added':
      return '  new';
    case 'restored':
      return '  assigned again, under its old name';
    case 'renamed':
      return `  new name: ${profile.formerName ?? ''} is now defined outside Latchkey's block`;
  }
}
