import { join } from 'node:path';

export interface AwsConfigFileOptions {
  /** The process environment (only AWS_CONFIG_FILE is read); passed in so tests never see the real one. */
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}

/** `$AWS_CONFIG_FILE`, else `<home>/.aws/config`, as the AWS CLI and SDKs look for it. */
export function awsConfigFilePath(options: AwsConfigFileOptions): string {
  const fromEnv = options.env['AWS_CONFIG_FILE'];
  if (fromEnv !== undefined && fromEnv !== '') return expandHome(fromEnv, options.homeDir);
  return join(options.homeDir, '.aws', 'config');
}

/** `$AWS_SHARED_CREDENTIALS_FILE`, else `<home>/.aws/credentials`, found as the config file is. */
export function awsCredentialsFilePath(options: AwsConfigFileOptions): string {
  const fromEnv = options.env['AWS_SHARED_CREDENTIALS_FILE'];
  if (fromEnv !== undefined && fromEnv !== '') return expandHome(fromEnv, options.homeDir);
  return join(options.homeDir, '.aws', 'credentials');
}

/** The SDKs expand a leading `~/` in AWS_CONFIG_FILE (smithy loadSharedConfigFiles). */
function expandHome(path: string, homeDir: string): string {
  return path.startsWith('~/') ? join(homeDir, path.slice(2)) : path;
}
