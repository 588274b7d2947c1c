import { isRegionCode } from '../aws-identifiers';
import { LatchkeyError } from '../errors';

/**
 * Where the AWS console and its federation endpoint live in each partition, and the URLs
 * Latchkey builds from them. Only these three partitions have a console that takes a
 * federation sign-in; the isolated ones (us-iso*, eu-isoe) are refused with a sentence.
 */
export type ConsolePartition = 'aws' | 'aws-cn' | 'aws-us-gov';

interface PartitionHosts {
  /** The federation endpoint's host (`/federation`). */
  signin: string;
  /** The console's host; a destination URL must be on it or a subdomain of it. */
  console: string;
}

export const CONSOLE_PARTITION_HOSTS: Readonly<Record<ConsolePartition, PartitionHosts>> = {
  aws: { signin: 'signin.aws.amazon.com', console: 'console.aws.amazon.com' },
  'aws-cn': { signin: 'signin.amazonaws.cn', console: 'console.amazonaws.cn' },
  'aws-us-gov': { signin: 'signin.amazonaws-us-gov.com', console: 'console.amazonaws-us-gov.com' },
};

/** The Issuer of every console sign-in: CloudTrail's sign-in event and the console's "sign out" page name it. */
export const CONSOLE_ISSUER = 'Latchkey';

/** Console paths name a service in lower case: `s3`, `ec2`, `cloudwatch`, `iam`, `billing`. */
const SERVICE_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export function consolePartition(region: string): ConsolePartition {
  if (!isRegionCode(region)) throw new LatchkeyError('invalid_request', `'${String(region).slice(0, 40)}' is not an AWS region name (expected something like eu-west-1).`);
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (/^(us-iso|us-isob|us-isof|eu-isoe|eusc)-/.test(region)) {
    throw new LatchkeyError('invalid_request', `The AWS console of ${region}'s partition takes no federation sign-in that Latchkey knows of.`);
  }
  return 'aws';
}

/** The federation endpoint's base URL for a partition, unless an override (AWS_ENDPOINT_URL_SIGNIN) names another. */
export function defaultSigninEndpoint(partition: ConsolePartition): string {
  return `https://${CONSOLE_PARTITION_HOSTS[partition].signin}`;
}

/**
 * The console page to land on: nothing (the console home), a service (`s3` lands on the
 * S3 console), or a whole URL. A URL must be an https page of this partition's console:
 * the federation endpoint would send a signed-in browser anywhere it is told, and a
 * destination is a string from a command line, a config or a page.
 */
export function consoleDestination(partition: ConsolePartition, region: string, destination?: string): string {
  const host = CONSOLE_PARTITION_HOSTS[partition].console;
  const query = `region=${encodeURIComponent(region)}`;
  if (destination === undefined || destination === '') return `https://${host}/console/home?${query}`;
  if (SERVICE_PATTERN.test(destination)) return `https://${host}/${destination}/home?${query}`;
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    throw new LatchkeyError('invalid_request', 'The destination must be a service name such as s3 or ec2, or an https URL of the AWS console.');
  }
  const hostname = url.hostname.toLowerCase();
  const onConsole = hostname === host || hostname.endsWith(`.${host}`);
  if (url.protocol !== 'https:' || url.port !== '' || url.username !== '' || url.password !== '' || !onConsole) {
    throw new LatchkeyError('invalid_request', `The destination URL must be an https page of the AWS console (${host} or a subdomain of it).`);
  }
  return url.href;
}

/** The Session parameter of getSigninToken: the role credentials in the federation endpoint's own names. */
export function federationSession(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }): string {
  return JSON.stringify({ sessionId: credentials.accessKeyId, sessionKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken });
}

/** The URL that signs the browser in and lands on `destination`. It is a bearer secret for 15 minutes. */
export function consoleLoginUrl(signinEndpoint: string, signinToken: string, destination: string): string {
  const query = new URLSearchParams({ Action: 'login', Issuer: CONSOLE_ISSUER, Destination: destination, SigninToken: signinToken });
  return `${signinEndpoint}/federation?${query}`;
}
