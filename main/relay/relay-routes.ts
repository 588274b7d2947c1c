import type { Router } from '../agent/router';
import { RELAY_MAX_BODY_BYTES } from './relay-wire';
import { RelayRuns } from './relay-runs';

/**
 * `POST /v1/relay` runs a command of the native client and streams its output back;
 * `POST /v1/relay/<id>/interrupt` is its Ctrl+C (docs/agent-api.md, "The relay").
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
}
