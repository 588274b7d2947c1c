import type { Router } from '../agent/router';
import { RELAY_MAX_BODY_BYTES, readExitCode } from './relay-wire';
import { RelayRuns } from './relay-runs';

/**
 * `POST /v1/relay` runs a command of the native client and streams its output back;
 * `POST /v1/relay/<id>/interrupt` is its Ctrl+C, and `POST /v1/relay/<id>/child-exited?code=N`
 * tells `exec` that the child the client ran has ended (docs/agent-api.md, "The relay").
 */
export function registerRelayRoutes(router: Router, agentSocketPath: string): void {
  const runs = new RelayRuns(agentSocketPath);
  router.add(
    'POST',
    '/v1/relay',
    async (request, response) => {
      await runs.run(request.body, response);
      return 'streaming';
    },
    { maxBodyBytes: RELAY_MAX_BODY_BYTES },
  );
  router.add('POST', '/v1/relay/:id/interrupt', async (request) => {
    runs.interrupt(request.params['id'] ?? '');
    return { status: 204 };
  });
  router.add('POST', '/v1/relay/:id/child-exited', async (request) => {
    runs.childExited(request.params['id'] ?? '', readExitCode(request.query.get('code')));
    return { status: 204 };
  });
}
