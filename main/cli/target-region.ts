import { awsConfigFilePath, awsCredentialsFilePath, readAwsConfigText } from '../aws/aws-config-file';
import { parseAwsConfig } from '../core/aws-config';
import { readAwsConfigSections } from '../core/aws-config-sections';
import { LatchkeyError } from '../core/errors';
import { isRegionCode } from '../core/aws-identifiers';
import type { RegionSources } from '../core/region-variables';
import type { CliContext } from './cli-context';
import type { CredentialTarget } from './cli-args';

/**
 * The regions of a target, from the AWS config this process sees (`$AWS_CONFIG_FILE`),
 * which is the one the tools it hands credentials to read as well. With `--session
 * --account --role` those tools act as the `default` profile, so its region is the
 * profile's region then; botocore reads that one from the credentials file too.
 */
export async function regionSourcesFor(ctx: CliContext, target: CredentialTarget): Promise<RegionSources> {
  const path = awsConfigFilePath({ env: ctx.env, homeDir: ctx.homeDir });
  const text = await readConfigText(path);
  if (text === undefined) return {};
  const profileName = 'profile' in target ? target.profile : 'default';
  let profileRegion = regionIn(text, profileName);
  if (profileRegion === undefined && profileName === 'default') {
    const credentials = await readConfigText(awsCredentialsFilePath({ env: ctx.env, homeDir: ctx.homeDir }));
    profileRegion = credentials === undefined ? undefined : regionIn(credentials, profileName);
  }
  const config = parseAwsConfig(text, path);
  const sessionName = 'profile' in target ? config.profiles.get(target.profile)?.session : target.session;
  const sessionRegion = sessionName === undefined ? undefined : config.ssoSessions.get(sessionName)?.region;
  return {
    ...(profileRegion === undefined ? {} : { profileRegion }),
    ...(sessionRegion === undefined ? {} : { sessionRegion }),
  };
}

function regionIn(text: string, profile: string): string | undefined {
  const region = readAwsConfigSections(text).find((s) => s.kind === 'profile' && s.name === profile)?.values['region'];
  return isRegionCode(region) ? region : undefined;
}

/** A shared file as the agent reads one: bounded, a regular file of this user. */
async function readConfigText(path: string): Promise<string | undefined> {
  try {
    return await readAwsConfigText(path);
  } catch (error) {
    // The agent served the credentials, which is what was asked for; the region only
    // saves typing, and a file the agent could read but this process cannot adds none.
    if (error instanceof LatchkeyError && error.code === 'config_error') return undefined;
    throw error;
  }
}
