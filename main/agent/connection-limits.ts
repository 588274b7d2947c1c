import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Connections open at once: each one is a file descriptor of the agent. */
  maxConnections: number;
  /** A connection that sends nothing this long while none of its requests is being answered is closed. */
  silentConnectionTimeoutMs: number;
}

/**
 * Caps a server's connections so that connections which only sit there cannot lock
 * clients out (issue 8, findings 4 and 5). A connection is idle from its connect until its
 * first request arrives, and again once its answers are done (keep-alive). An idle
 * connection is closed after the silent timeout; a newcomer at the cap closes the oldest
 * idle connection to make room, and is itself refused only when every connection is being
 * answered. So a flood of silent or half-sent connections holds at most the cap's worth of
 * descriptors and never displaces a request in progress (a long-poll, an event stream,
 * an exec binding), while a client that sends its request at once is still served.
 * `onRefused` hears of each newcomer closed unanswered.
 */
export function limitConnections(server: Server, limits: ConnectionLimits, onRefused: () => void): void {
  const open = new Set<Socket>();
  // Oldest first: a Set iterates in insertion order.
  const idle = new Set<Socket>();
  const answering = new Map<Socket, number>();
  // Node's own cap is the backstop, one above ours: a newcomer exists before it can displace anyone.
  server.maxConnections = limits.maxConnections + 1;
  server.on('drop', onRefused);
  server.on('connection', (socket: Socket) => {
    if (open.size >= limits.maxConnections) {
      const oldest = idle.values().next().value;
      if (oldest === undefined) {
        socket.destroy();
        onRefused();
        return;
      }
      forget(oldest);
      oldest.destroy();
    }
    open.add(socket);
    idle.add(socket);
    // Node's HTTP server destroys a socket whose timeout nobody else handles.
    socket.setTimeout(limits.silentConnectionTimeoutMs);
    socket.once('close', () => forget(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const { socket } = request;
    idle.delete(socket);
    answering.set(socket, (answering.get(socket) ?? 0) + 1);
    // Being answered, the connection is timed by the server's request limits; a long-poll is silent on purpose.
    socket.setTimeout(0);
    response.once('close', () => {
      const left = (answering.get(socket) ?? 1) - 1;
      if (left > 0) {
        answering.set(socket, left);
        return;
      }
      answering.delete(socket);
      // Idle again: Node's keep-alive timeout closes it from here.
      if (open.has(socket)) idle.add(socket);
    });
  });

  function forget(socket: Socket): void {
    open.delete(socket);
    idle.delete(socket);
    answering.delete(socket);
  }
}
