import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Connections open at once: each one is a file descriptor of the agent. */
  maxConnections: number;
  /** A connection that sends nothing this long while none of its requests is being answered is closed. */
  silentConnectionTimeoutMs: number;
}

export interface LimitedServerHandlers {
  /** Every request the limits let through: one at a time per connection. */
  onRequest: (request: IncomingMessage, response: ServerResponse) => void;
  /** Hears of each newcomer closed unanswered. */
  onRefused: () => void;
}

/**
 * Caps a server's connections so that connections which only sit there cannot lock
 * clients out (issue 8, findings 4 and 5), and hands it its requests. A connection is idle
 * from its connect until its first request arrives, and again once its answer is done
 * (keep-alive). An idle connection is closed after the silent timeout; a newcomer at the
 * cap closes the oldest idle connection to make room, or else the oldest one whose answer
 * is not being read, and is itself refused only when every connection is being answered
 * and read. So a flood of silent or half-sent connections holds at most the cap's worth
 * of descriptors and never displaces a request in progress (a long-poll, an event
 * stream, an exec binding), while a client that sends its request at once is still served.
 *
 * A connection has one request answered at a time. A request that arrives while another
 * of its connection is being answered (HTTP pipelining) closes the connection and never
 * reaches `onRequest`: no Latchkey client and no AWS SDK pipelines, and a client that
 * pipelines and never reads its answers once held every slot of the exec port for good
 * (Node pauses such a connection with its answers queued, so it stayed "being answered").
 */
export function limitConnections(server: Server, limits: ConnectionLimits, handlers: LimitedServerHandlers): void {
  const open = new Set<Socket>();
  // Oldest first: a Set iterates in insertion order.
  const idle = new Set<Socket>();
  const answering = new Set<Socket>();
  // Node's own cap is the backstop, one above ours: a newcomer exists before it can displace anyone.
  server.maxConnections = limits.maxConnections + 1;
  server.on('drop', handlers.onRefused);
  server.on('connection', (socket: Socket) => {
    if (open.size >= limits.maxConnections) {
      const displaced = displaceable();
      if (displaced === undefined) {
        socket.destroy();
        handlers.onRefused();
        return;
      }
      forget(displaced);
      displaced.destroy();
    }
    open.add(socket);
    idle.add(socket);
    // Node's HTTP server destroys a socket whose timeout nobody else handles.
    socket.setTimeout(limits.silentConnectionTimeoutMs);
    socket.once('close', () => forget(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const { socket } = request;
    // Node parses the rest of a chunk after a close, so later pipelined requests still arrive here.
    if (socket.destroyed) return;
    if (answering.has(socket)) {
      forget(socket);
      socket.destroy();
      return;
    }
    idle.delete(socket);
    answering.add(socket);
    // Being answered, the connection is timed by the server's request limits; a long-poll is silent on purpose.
    socket.setTimeout(0);
    response.once('close', () => {
      answering.delete(socket);
      // Idle again: Node's keep-alive timeout closes it from here.
      if (open.has(socket)) idle.add(socket);
    });
    handlers.onRequest(request, response);
  });

  /**
   * The oldest idle connection, else the oldest whose answer backs up in our write buffer:
   * a client that does not read what it asked for is holding a slot, not being served.
   */
  function displaceable(): Socket | undefined {
    const oldestIdle = idle.values().next().value;
    if (oldestIdle !== undefined) return oldestIdle;
    for (const socket of answering) {
      if (socket.writableNeedDrain) return socket;
    }
    return undefined;
  }

  function forget(socket: Socket): void {
    open.delete(socket);
    idle.delete(socket);
    answering.delete(socket);
  }
}
