import type { AwsConfig, SsoSessionConfig } from '../core/aws-config';
import { awsConfigNames, requireProfile } from '../core/aws-config';
import { missingProfileMessage, missingSessionMessage } from '../core/aws-config-advice';
import { LatchkeyError } from '../core/errors';
import type { CredentialTargetWire } from './agent-wire-types';

/** A role the caller may have credentials for, resolved against the AWS config. */
export interface ResolvedTarget {
  session: SsoSessionConfig;
  accountId: string;
  roleName: string;
  profile?: string;
  /** The profile's own `region`, when it names one. */
  region?: string;
}

/**
 * The AWS config as the routes see it: consulted on every request that depends on it
 * (the reader parses again only when the file changed), so edits apply without a restart.
 * `onSession` is told about each session a request uses, so the agent can start keeping
 * a session fresh that was added after it started.
 */
export class AgentConfig {
  constructor(
    /** The file `read` reads: fixed for the agent's life, so naming it costs no read. */
    readonly filePath: string,
    private readonly read: () => Promise<AwsConfig>,
    private readonly onSession: (session: SsoSessionConfig) => void = () => undefined,
  ) {}

  load(): Promise<AwsConfig> {
    return this.read();
  }

  async session(name: string): Promise<SsoSessionConfig> {
    return this.sessionIn(await this.read(), name);
  }

  /** A target naming its account by id; names are resolved against the listing first (credential-target.ts). */
  async target(target: Exclude<CredentialTargetWire, { accountName: string }>): Promise<ResolvedTarget> {
    const config = await this.read();
    if ('profile' in target) {
      if (!config.profiles.has(target.profile) && !config.problems.some((p) => p.kind === 'profile' && p.name === target.profile)) {
        throw new LatchkeyError('not_found', missingProfileMessage(awsConfigNames(config), target.profile));
      }
      // Throws config_error listing the profile's own problems.
      const { profile, session } = requireProfile(config, target.profile);
      this.onSession(session);
      return { session, accountId: profile.accountId, roleName: profile.roleName, profile: profile.name, ...(profile.region === undefined ? {} : { region: profile.region }) };
    }
    return { session: this.sessionIn(config, target.session), accountId: target.accountId, roleName: target.roleName };
  }

  private sessionIn(config: AwsConfig, name: string): SsoSessionConfig {
    const session = config.ssoSessions.get(name);
    if (session !== undefined) {
      this.onSession(session);
      return session;
    }
    const problems = config.problems.filter((p) => p.kind === 'sso-session' && p.name === name);
    if (problems.length > 0) throw new LatchkeyError('config_error', problems.map((p) => p.message).join('\n'));
    throw new LatchkeyError('not_found', missingSessionMessage(awsConfigNames(config), name));
  }
}
