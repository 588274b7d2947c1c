import { resolve } from 'node:path';
import { awsConfigFilePath } from '../aws/aws-config-path';
import { CONFIG_FILE_HEADER } from '../core/config-file-mismatch';

/**
 * The AWS config file this command reads, as the AWS CLI that runs it would: absolute,
 * since a relative AWS_CONFIG_FILE means this process's directory, not the agent's.
 */
export function ownConfigFile(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  return resolve(awsConfigFilePath({ env, homeDir }));
}

/** Names that file to the agent, which refuses to answer from another one (core/config-file-mismatch.ts). */
export function configFileHeaders(env: Readonly<Record<string, string | undefined>>, homeDir: string): Record<string, string> {
  return { [CONFIG_FILE_HEADER]: encodeURIComponent(ownConfigFile(env, homeDir)) };
}
