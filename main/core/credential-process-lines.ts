import { isRegionCode } from './aws-identifiers';
import { credentialProcessCommand, type CommandDialect } from './credential-process-command';

export interface CredentialProcessLinesInput {
  /**
   * The words that run Latchkey, as an absolute path: the installed app's native `latchkey`, or
   * `node` and the CLI bundle of a source checkout. A bare `latchkey` would need PATH to
   * hold it, and the AWS clients do not run it through a shell that might.
   */
  latchkeyCommand: readonly string[];
  session: string;
  accountId: string;
  roleName: string;
  /** The session's sso_region: the region the profile's clients call, as setup-profiles writes it. */
  region: string | undefined;
  dialect: CommandDialect;
}

/**
 * What the tray's "Copy credential_process line" puts on the clipboard, to paste under a
 * `[profile ...]` header: the `credential_process` line, quoted as the AWS clients of the
 * platform read it (credential-process-command.ts), and a `region` line, without which
 * `aws s3 ls --profile X` stops at "You must specify a region". Line ends as the
 * platform's editors write them. Throws `config_error` for a word no quoting can carry.
 */
export function credentialProcessLines(input: CredentialProcessLinesInput): string {
  const argv = [...input.latchkeyCommand, 'credential-process', '--session', input.session, '--account', input.accountId, '--role', input.roleName];
  const lines = [`credential_process = ${credentialProcessCommand(argv, input.dialect)}`];
  // Checked again here: the value goes into the config file as it is.
  if (isRegionCode(input.region)) lines.push(`region = ${input.region}`);
  return lines.join(input.dialect === 'windows' ? '\r\n' : '\n');
}
