/**
 * The region variables `latchkey export` prints and `latchkey exec` gives its command, as
 * aws-vault and granted set them: tools that read only the environment (Terraform,
 * scripts, older SDKs) then run in the profile's region. Both variables, because the JS
 * SDK reads AWS_REGION and botocore (boto3, the AWS CLI v1) AWS_DEFAULT_REGION.
 *
 * Which region:
 * 1. the profile's `region`, over any region the caller has: switching a shell from one
 *    profile to another must not keep the first one's region (as granted's `assume`);
 * 2. else a region the caller already has in AWS_REGION or AWS_DEFAULT_REGION, left as it
 *    is, with the other variable given the same value (as aws-vault reads them);
 * 3. else the session's `sso_region`, as granted falls back to it.
 */
export interface RegionSources {
  /** The `region` of the profile acted as. */
  profileRegion?: string;
  /** The `sso_region` of its sso-session. */
  sessionRegion?: string;
}

export type RegionVariableName = 'AWS_REGION' | 'AWS_DEFAULT_REGION';

/** The variables to set; a variable the caller keeps as it is is not among them. */
export function regionVariables(
  env: Readonly<Record<string, string | undefined>>,
  sources: RegionSources,
): Partial<Record<RegionVariableName, string>> {
  if (sources.profileRegion !== undefined) return both(sources.profileRegion);
  const region = nonEmpty(env['AWS_REGION']);
  const defaultRegion = nonEmpty(env['AWS_DEFAULT_REGION']);
  if (region !== undefined && defaultRegion !== undefined) return {};
  if (region !== undefined) return { AWS_DEFAULT_REGION: region };
  if (defaultRegion !== undefined) return { AWS_REGION: defaultRegion };
  return sources.sessionRegion === undefined ? {} : both(sources.sessionRegion);
}

function both(region: string): Record<RegionVariableName, string> {
  return { AWS_REGION: region, AWS_DEFAULT_REGION: region };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
