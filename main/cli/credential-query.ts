import type { CredentialTarget } from './cli-args';

/** The query naming a role on `GET /v1/credentials` (docs/agent-api.md). */
export function credentialQuery(target: CredentialTarget): URLSearchParams {
  if ('profile' in target) return new URLSearchParams({ profile: target.profile });
  if ('accountName' in target) return new URLSearchParams({ session: target.session, accountName: target.accountName, roleName: target.roleName });
  return new URLSearchParams({ session: target.session, accountId: target.accountId, roleName: target.roleName });
}

/** The same target as the body of `POST /v1/exec-endpoints`. */
export function credentialTargetBody(target: CredentialTarget): Record<string, string> {
  return 'profile' in target ? { profile: target.profile } : { ...target };
}

/** How to name the target in a message: `profile "dev"` or `corp/111111111111/Admin`. */
export function describeTarget(target: CredentialTarget): string {
  if ('profile' in target) return `profile "${target.profile}"`;
  return `${target.session}/${'accountName' in target ? target.accountName : target.accountId}/${target.roleName}`;
}
