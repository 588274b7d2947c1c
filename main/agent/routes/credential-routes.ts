import type { CredentialsResponse } from '../agent-wire-types';
import { isoTime } from '../agent-event';
import type { AgentServices } from '../agent-services';
import { assertSameConfigFile } from '../caller-config-file';
import { lookUpCredentials } from '../credential-lookup';
import { credentialTargetFromQuery, querySeconds } from '../request-validation';
import type { Router } from '../router';
import { credentialProcessLine } from '../../cli/credential-process-output';

/** The media type of the one line credential_process prints. */
export const CREDENTIAL_PROCESS_LINE_TYPE = 'application/vnd.latchkey.credential-process';

/** A credential_process caller waits at most this long for a person to sign in. */
const MAX_WAIT_SECONDS = 900;

/**
 * `GET /v1/credentials?profile=P` or `?session=S&accountId=ID&roleName=R`, optionally
 * `&waitSeconds=N`. Asked with `Accept: application/vnd.latchkey.credential-process`, it
 * answers with the exact line `latchkey credential-process` prints, which the native
 * client passes through as it is (native/latchkey/src/fast_path.rs), so that the line is
 * made in one place.
 */
export function registerCredentialRoutes(router: Router, services: AgentServices): void {
  router.add('GET', '/v1/credentials', async (request, response) => {
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
    if ((request.raw.headers.accept ?? '').includes(CREDENTIAL_PROCESS_LINE_TYPE)) {
      const line = credentialProcessLine(body);
      response.writeHead(200, { 'Content-Type': CREDENTIAL_PROCESS_LINE_TYPE, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(line) });
      response.end(line);
      return 'streaming';
    }
    return { status: 200, body };
  });
}
