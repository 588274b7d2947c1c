import { LatchkeyError } from '../errors';
import type { SsoSessionSettings } from '../sso-session-settings';
import { consoleDestination, consoleLoginUrl, consolePartition, federationSession, type ConsolePartition } from './console-urls';

/** What core needs of the AWS sign-in federation endpoint (main/aws/federation-client.ts). */
export interface FederationApi {
  /** `Action=getSigninToken` with the Session JSON; returns the SigninToken. */
  getSigninToken(signinEndpoint: string, session: string, signal?: AbortSignal): Promise<string>;
}

export interface ConsoleSignInOptions {
  federation: FederationApi;
  /** The federation endpoint's base URL for a partition (endpoint overrides applied). */
  signinEndpoint: (partition: ConsolePartition) => string;
}

export interface ConsoleRequest {
  /** The console's region; default the session's sso_region. */
  region?: string;
  /** A service name (`s3`) or an https console URL; default the console home. */
  destination?: string;
  signal?: AbortSignal;
}

/** The three parts of role credentials the federation endpoint takes. */
export interface RoleSecrets {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface ConsoleLogin {
  /** Signs the browser in: a bearer secret for the token's 15 minutes. Never logged or shown unasked. */
  url: string;
  /** Where the browser lands; not secret. */
  destination: string;
}

/**
 * The console sign-in of a role: its credentials exchanged at the federation endpoint of
 * the session's partition for a sign-in token, and the login URL that spends it. The
 * session's sso_region decides the partition (its accounts live there); a console region
 * of another partition is refused rather than sent to a sign-in that cannot take it.
 */
export class ConsoleSignIn {
  constructor(private readonly options: ConsoleSignInOptions) {}

  /** `credentials` must be the role's, with time left (the agent's credential lookup gives at least 15 minutes). */
  async login(session: SsoSessionSettings, credentials: RoleSecrets, request: ConsoleRequest = {}): Promise<ConsoleLogin> {
    const partition = consolePartition(session.region);
    const region = request.region ?? session.region;
    if (consolePartition(region) !== partition) {
      throw new LatchkeyError('invalid_request', `The region ${region} is not in the partition of ${session.name}'s accounts (${partition}); name a region of ${partition}.`);
    }
    const destination = consoleDestination(partition, region, request.destination);
    const endpoint = this.options.signinEndpoint(partition);
    const token = await this.options.federation.getSigninToken(endpoint, federationSession(credentials), request.signal);
    return { url: consoleLoginUrl(endpoint, token, destination), destination };
  }
}
