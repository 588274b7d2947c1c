import type { ConsoleResponse } from '../agent-wire-types';
import type { AgentServices } from '../agent-services';
import { assertSameConfigFile } from '../caller-config-file';
import { resolveCredentialTarget } from '../credential-target';
import { consoleRequestFromBody } from '../request-validation';
import type { Router } from '../router';

/**
 * `POST /v1/console`: the AWS console signed in as a role. With `open` (the default) the
 * agent opens it in the browser through a one-shot launch link and answers where it
 * lands; with `"open": false` it answers the sign-in URL itself (`latchkey console
 * --print`), which is a bearer secret for 15 minutes and goes nowhere else.
 */
export function registerConsoleRoutes(router: Router, services: AgentServices): void {
  router.add('POST', '/v1/console', async (request) => {
    const wanted = consoleRequestFromBody(request.body);
    await assertSameConfigFile(request.raw, services);
    const target = await resolveCredentialTarget(services, wanted.target);
    // A profile's own region, as the AWS CLI would use with it; else the session's sso_region.
    const region = wanted.region ?? target.region;
    const login = await services.roles.consoleLogin(target.session, target.accountId, target.roleName, {
      ...(region === undefined ? {} : { region }),
      ...(wanted.destination === undefined ? {} : { destination: wanted.destination }),
      signal: request.signal,
    });
    const body: ConsoleResponse = { accountId: target.accountId, roleName: target.roleName, destination: login.destination };
    if (wanted.open) {
      await services.roles.open(login);
      return { status: 200, body };
    }
    return { status: 200, body: { ...body, url: login.url } };
  });
}
