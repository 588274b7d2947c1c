import type { CredentialsResponse } from '../agent-wire-types';
import { isoTime } from '../agent-event';
import type { AgentServices } from '../agent-services';
import { assertSameConfigFile } from '../caller-config-file';
import { lookUpCredentials } from '../credential-lookup';
import { credentialTargetFromQuery, querySeconds } from '../request-validation';
import type { Router } from '../router';

/** A credential_process caller waits at most this long for a person to sign in. */
const MAX_WAIT_SECONDS = 900;

/** `GET /v1/credentials?profile=P` or `?session=S&accountId=ID&roleName=R`, optionally `&waitSeconds=N`. */
export function registerCredentialRoutes(router: Router, services: AgentServices): void {
  router.add('GET', '/v1/credentials', async (request) => {
    const target = credentialTargetFromQuery(request.query);
    const waitSeconds = querySeconds(request.query, 'waitSeconds', MAX_WAIT_SECONDS, 0);
    await assertSameConfigFile(request.raw, services);
    const credentials = await lookUpCredentials(services, target, { waitMs: waitSeconds * 1000, signal: request.signal });
    const body: CredentialsResponse = {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: isoTime(credentials.expiresAtMs),
      AccountId: credentials.accountId,
    };
    return { status: 200, body };
  });
}
