import { LatchkeyError } from '../../core/errors';
import type { AgentServices } from '../agent-services';
import { resolveCredentialTarget } from '../credential-target';
import { credentialTargetFromBody } from '../request-validation';
import type { Router } from '../router';

/**
 * `POST /v1/exec-endpoints`: a container-credentials binding for `latchkey exec`, held by
 * the connection that asked for it. The answer is an event stream whose one event is the
 * endpoint; the binding ends when that connection closes, however the `latchkey exec`
 * process ends (`kill -9` included: the kernel closes its socket), and the stream ends
 * when the binding does (the agent stopping). No process id is involved, so none can be
 * reused.
 */
export function registerExecRoutes(router: Router, services: AgentServices): void {
  router.add('POST', '/v1/exec-endpoints', async (request, response) => {
    const wanted = credentialTargetFromBody(request.body);
    // Fail now, not inside the child process: the profile or session must exist, and a
    // name is resolved once, so the child keeps the account it started with.
    const resolved = await resolveCredentialTarget(services, wanted);
    const target = 'accountName' in wanted ? { session: wanted.session, accountId: resolved.accountId, roleName: wanted.roleName } : wanted;
    const binding = await services.execEndpoints.create(target);
    // The caller may have gone, or the agent begun to stop, while the binding was made.
    if (request.signal.aborted) {
      binding.dispose();
      throw new LatchkeyError('cancelled', 'The exec endpoint was given up before it was sent.');
    }
    response.writeHead(201, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    response.write(`data: ${JSON.stringify(binding.endpoint)}\n\n`);
    response.once('close', () => binding.dispose());
    binding.ended.addEventListener(
      'abort',
      () => {
        if (!response.destroyed) response.end();
      },
      { once: true },
    );
    return 'streaming';
  });
}
