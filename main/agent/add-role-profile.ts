import { rewriteAwsConfig } from '../aws/aws-config-rewrite';
import { addProfileToBlock } from '../core/aws-config-profile-block';
import { commandDialectFor } from '../core/credential-process-command';
import type { AddedProfile } from '../core/role-actions';

export interface AddRoleProfileOptions {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  platform: NodeJS.Platform;
  session: string;
  /** The session's sso_region: the profile's region unless the block has one. */
  ssoRegion: string;
  account: { accountId: string; accountName: string };
  roleName: string;
  /** The command that runs Latchkey, one word per element, for the credential_process line. */
  latchkeyCommand: readonly string[];
}

/**
 * "Add a profile" of the window: one role into Latchkey's block of the AWS config, through
 * the writer `setup-profiles` uses (backup, atomic replace, mode kept). The block's other
 * profiles stay; a role already there is left as it is and nothing is written.
 */
export async function addRoleProfile(options: AddRoleProfileOptions): Promise<AddedProfile> {
  const { configPath, edit } = await rewriteAwsConfig({ env: options.env, homeDir: options.homeDir }, (text) =>
    addProfileToBlock(text ?? '', {
      session: options.session,
      account: options.account,
      roleName: options.roleName,
      latchkeyCommand: options.latchkeyCommand,
      dialect: commandDialectFor(options.platform),
      ssoRegion: options.ssoRegion,
    }),
  );
  return { profile: edit.profile.name, configFile: configPath, added: edit.profile.status !== 'kept' };
}
