import { LatchkeyError } from '../../core/errors';
import type { AgentServices } from '../agent-services';
import { credentialTargetFromBody } from '../request-validation';
import type { Router } from '../router';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Bindings of the container-credentials endpoint for `latchkey exec`. */
export function registerExecRoutes(router: Router, services: AgentServices): void {
  router.add('POST', '/v1/exec-endpoints', async (request) => {
    const target = credentialTargetFromBody(request.body);
    // Fail now, not inside the child process: the profile or session must exist.
    await services.config.target(target);
    const body = await services.execEndpoints.create(target);
    return { status: 201, body };
  });

  router.add('DELETE', '/v1/exec-endpoints/:id', async (request) => {
    const id = request.params.id ?? '';
    if (!ID_PATTERN.test(id) || !services.execEndpoints.revoke(id)) {
      throw new LatchkeyError('not_found', 'There is no such exec endpoint.');
    }
    return { status: 204 };
  });
}
