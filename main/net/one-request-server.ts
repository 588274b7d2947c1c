import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { ConnectionLimits, LimitedServerHandlers } from './connection-limits';

export interface OneRequestServerLimits extends ConnectionLimits {
  /** The whole request (its headers: it has no body) must arrive within this. */
  requestTimeoutMs: number;
  maxHeaderBytes: number;
}

export interface OneRequestServerHandlers extends LimitedServerHandlers {
  /**
   * Answers a request Node's parser cannot read, on the raw connection (there is no
   * response object), in the server's own format; without it Node answers a bare 400.
   */
  onMalformed?: (error: NodeJS.ErrnoException, socket: Duplex) => void;
}

export interface OneRequestServer {
  /** The listening side: `listen`, `address`, `close` as for any server. */
  readonly server: Server;
  /** Cuts every connection, answered or not. */
  closeAllConnections(): void;
}

const HEADERS_END = Buffer.from('\r\n\r\n');
/**
 * What a request must start with: a method, a target and HTTP/1.x. Node's parser skips
 * empty lines and waits for a request line, so a head of a bare `\r\n\r\n` (or an HTTP/2
 * preface) once held a slot for good without ever becoming a request.
 */
const REQUEST_LINE = /^[A-Z]{3,10} [\x21-\x7e]+ HTTP\/1\.[01]\r\n/;

/**
 * An HTTP server for loopback ports that any local user can reach and whose clients send
 * one request without a body per connection: the exec port (the SDKs' container provider)
 * and the PKCE listener (the browser's redirect). Each connection's request is read here,
 * before Node's HTTP parser sees a byte, and handed on alone; its answer closes the
 * connection. A byte beyond the request's headers, sent with it or while it is answered,
 * can only be a pipelined request or a body none of these requests has, and closes the
 * connection. Node's parser, given a 64 KiB chunk of pipelined requests, builds a request
 * object for each (about 20 ms of the agent's only thread); another user reconnecting
 * with such chunks kept it busy enough to starve the user's own SDK. Here such a chunk
 * costs one search for the end of the headers.
 *
 * Bounds as in connection-limits.ts: at most `maxConnections`, a newcomer at the cap
 * displaces the oldest connection still sending its request, and a request must arrive
 * within `requestTimeoutMs`, never silent for `silentConnectionTimeoutMs`.
 */
export function createOneRequestServer(limits: OneRequestServerLimits, handlers: OneRequestServerHandlers): OneRequestServer {
  // Node's Host check answers a bare 400; every handler checks Host itself (DNS
  // rebinding) and says why in its own format.
  const http = createHttpServer({ maxHeaderSize: limits.maxHeaderBytes, requireHostHeader: false });
  if (handlers.onMalformed !== undefined) http.on('clientError', handlers.onMalformed);
  http.on('request', (request, response) => {
    if (request.socket instanceof OneRequestStream) request.socket.begun();
    response.shouldKeepAlive = false;
    handlers.onRequest(request, response);
  });
  const open = new Set<Socket>();
  // Oldest first: a Set iterates in insertion order.
  const sending = new Set<Socket>();
  const server = createNetServer((socket) => admit(socket));
  // Node's own cap is the backstop, one above ours: a newcomer exists before it can displace anyone.
  server.maxConnections = limits.maxConnections + 1;
  server.on('drop', handlers.onRefused);

  function admit(socket: Socket): void {
    if (open.size >= limits.maxConnections) {
      const oldest = sending.values().next().value;
      if (oldest === undefined) {
        socket.destroy();
        handlers.onRefused();
        return;
      }
      oldest.destroy();
      forget(oldest);
    }
    open.add(socket);
    sending.add(socket);
    const deadline = setTimeout(() => socket.destroy(), limits.requestTimeoutMs);
    socket.once('close', () => {
      clearTimeout(deadline);
      forget(socket);
    });
    socket.on('error', () => socket.destroy());
    socket.setTimeout(limits.silentConnectionTimeoutMs, () => socket.destroy());
    let head: Buffer = Buffer.alloc(0);
    const readHead = (chunk: Buffer): void => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const end = head.indexOf(HEADERS_END);
      if (end < 0) {
        if (head.length > limits.maxHeaderBytes) socket.destroy();
        return;
      }
      if (end + HEADERS_END.length !== head.length || !REQUEST_LINE.test(head.toString('latin1', 0, Math.min(head.length, 8192)))) {
        socket.destroy();
        return;
      }
      socket.off('data', readHead);
      socket.on('data', () => socket.destroy());
      // Until Node's parser has made a request of it, the connection is still sending:
      // timed, and the first to make room for a newcomer.
      http.emit(
        'connection',
        new OneRequestStream(socket, head, () => {
          clearTimeout(deadline);
          socket.setTimeout(0);
          sending.delete(socket);
        }),
      );
    };
    socket.on('data', readHead);
  }

  function forget(socket: Socket): void {
    open.delete(socket);
    sending.delete(socket);
  }

  return {
    server,
    closeAllConnections(): void {
      for (const socket of open) socket.destroy();
    },
  };
}

/**
 * What Node's HTTP server is given in place of the connection: the one request, and a way
 * back to the client for its answer. Ending it (the answer is done) closes the connection.
 */
class OneRequestStream extends Duplex {
  constructor(
    private readonly socket: Socket,
    request: Buffer,
    /** Called once Node's parser has made a request of the bytes: it is being answered from then on. */
    readonly begun: () => void,
  ) {
    super();
    this.push(request);
    socket.once('close', () => this.destroy());
  }

  override _read(): void {
    // The request was pushed whole; there is nothing more to read.
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, encoding, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    // Flushed to the kernel, then closed: the client may read it at leisure, not hold the slot.
    this.socket.end(() => this.socket.destroy());
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}

/**
 * Listens on a free port of 127.0.0.1, never another address (these servers are for this
 * machine's browser and SDKs only); resolves with the port the system picked.
 */
export async function listenOnLoopback(front: OneRequestServer): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    front.server.once('error', reject);
    front.server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      front.server.off('error', reject);
      resolve();
    });
  });
  const address = front.server.address();
  if (address === null || typeof address === 'string') throw new Error('A loopback server has no TCP port.');
  return address.port;
}
