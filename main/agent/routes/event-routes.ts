import type { ServerResponse } from 'node:http';
import type { Disposable } from '../../core/lifecycle';
import { EVENT_STREAM_HEARTBEAT_MS } from '../../core/time-windows';
import { toWireEvent, type AgentEvent } from '../agent-event';
import type { AgentServices } from '../agent-services';
import { validSessionName } from '../request-validation';
import type { Router } from '../router';

export interface EventRoutesOptions {
  heartbeatMs?: number;
}

/**
 * `GET /v1/events[?session=S]`: server-sent events, one `data:` line of JSON per event.
 * A stream that connects while a sign-in runs first gets that sign-in's prompt, so a
 * follower that subscribes after starting the sign-in still sees the user code. The
 * returned Disposable ends every open stream, for shutdown.
 */
export function registerEventRoutes(router: Router, services: AgentServices, options: EventRoutesOptions = {}): Disposable {
  const open = new Set<ServerResponse>();
  const heartbeatMs = options.heartbeatMs ?? EVENT_STREAM_HEARTBEAT_MS;

  router.add('GET', '/v1/events', async (request, response) => {
    const raw = request.query.get('session');
    const only = raw === null ? undefined : validSessionName(raw);
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    // Streams live as long as the follower wants; the idle timeouts are for requests, not for this.
    response.socket?.setTimeout(0);
    open.add(response);
    const send = (event: AgentEvent): void => {
      if (only === undefined || event.session === only) response.write(`data: ${JSON.stringify(toWireEvent(event))}\n\n`);
    };
    response.write(': latchkey events\n\n');
    for (const prompt of services.signIns.prompts()) send(prompt);
    const subscription = services.events.on(send);
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), heartbeatMs);
    response.once('close', () => {
      clearInterval(heartbeat);
      subscription.dispose();
      open.delete(response);
    });
    return 'streaming';
  });

  return {
    dispose(): void {
      for (const response of open) response.end();
      open.clear();
    },
  };
}
