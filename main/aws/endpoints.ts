import { defaultSigninEndpoint, type ConsolePartition } from '../core/console/console-urls';
import { LatchkeyError } from '../core/errors';
import type { Environment } from './environment';

export interface EndpointOptions {
  /** Use the FIPS endpoint; `AWS_USE_FIPS_ENDPOINT=true` turns it on as well. */
  useFips?: boolean;
}

/** Region syntax of every AWS partition: `us-east-1`, `us-gov-west-1`, `us-isob-east-1`, `eusc-de-east-1`. */
const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/**
 * DNS suffix by partition (botocore `partitions.json`): the region's prefix decides.
 * GovCloud (`us-gov-*`) shares the commercial `amazonaws.com`; China does not.
 */
const PARTITION_SUFFIXES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^cn-/, 'amazonaws.com.cn'],
  [/^us-iso-/, 'c2s.ic.gov'],
  [/^us-isob-/, 'sc2s.sgov.gov'],
  [/^eu-isoe-/, 'cloud.adc-e.uk'],
  [/^us-isof-/, 'csp.hci.ic.gov'],
  [/^eusc-/, 'amazonaws.eu'],
];
const DEFAULT_SUFFIX = 'amazonaws.com';

/**
 * Base URL of the IAM Identity Center OIDC service for `region`, honouring the SDKs'
 * endpoint variables: `AWS_ENDPOINT_URL_SSO_OIDC`, then `AWS_ENDPOINT_URL`, unless
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`.
 */
export function resolveOidcEndpoint(region: string, env: Environment, options: EndpointOptions = {}): string {
  return resolveEndpoint(region, env, options, {
    serviceVariable: 'AWS_ENDPOINT_URL_SSO_OIDC',
    host: 'oidc',
    fipsHost: 'oidc-fips',
  });
}

/** Base URL of the IAM Identity Center portal (the `sso` service); override `AWS_ENDPOINT_URL_SSO`. */
export function resolvePortalEndpoint(region: string, env: Environment, options: EndpointOptions = {}): string {
  return resolveEndpoint(region, env, options, {
    serviceVariable: 'AWS_ENDPOINT_URL_SSO',
    host: 'portal.sso',
    fipsHost: 'portal.sso-fips',
  });
}

/**
 * Base URL of the AWS sign-in federation endpoint for a partition (`/federation` is
 * appended), honouring `AWS_ENDPOINT_URL_SIGNIN`, then `AWS_ENDPOINT_URL`, as for the
 * other services. The emulator is selected with it.
 */
export function resolveSigninEndpoint(partition: ConsolePartition, env: Environment): string {
  return configuredEndpoint(env, 'AWS_ENDPOINT_URL_SIGNIN') ?? defaultSigninEndpoint(partition);
}

interface ServiceEndpoint {
  serviceVariable: string;
  host: string;
  fipsHost: string;
}

function resolveEndpoint(region: string, env: Environment, options: EndpointOptions, service: ServiceEndpoint): string {
  const configured = configuredEndpoint(env, service.serviceVariable);
  if (configured !== undefined) return configured;
  if (!REGION_PATTERN.test(region)) {
    throw new LatchkeyError(
      'config_error',
      `'${region.slice(0, 40)}' is not an AWS region name (expected something like us-east-1); check sso_region`,
    );
  }
  const fips = options.useFips === true || isTrue(env.AWS_USE_FIPS_ENDPOINT);
  const suffix = PARTITION_SUFFIXES.find(([pattern]) => pattern.test(region))?.[1] ?? DEFAULT_SUFFIX;
  return `https://${fips ? service.fipsHost : service.host}.${region}.${suffix}`;
}

function configuredEndpoint(env: Environment, serviceVariable: string): string | undefined {
  if (isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)) return undefined;
  for (const name of [serviceVariable, 'AWS_ENDPOINT_URL']) {
    const value = env[name]?.trim();
    if (value === undefined || value === '') continue;
    return validEndpointUrl(name, value);
  }
  return undefined;
}

function validEndpointUrl(variable: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LatchkeyError('config_error', `${variable} is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new LatchkeyError('config_error', `${variable} must be an http or https URL, not ${url.protocol}`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new LatchkeyError('config_error', `${variable} must not carry a query or fragment`);
  }
  // Paths are joined onto the base, so a trailing slash would double up.
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}
