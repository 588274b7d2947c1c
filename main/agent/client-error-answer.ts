import type { Duplex } from 'node:stream';
import type { Logger } from '../core/logger';
import { errorBody } from './error-status';

/**
 * Malformed HTTP never reaches a handler: Node's parser reports it here, on the agent's
 * socket and on the exec port. Answer in raw HTTP, since there is no response object, and
 * close the connection (its framing can no longer be trusted).
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, logger: Logger): void {
  logger.debug('Malformed request', { code: error.code });
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'invalid_request', 'The request headers are larger than 16 KiB.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'timeout', 'The request did not arrive in time.']
        : [400, 'Bad Request', 'invalid_request', 'The request is not valid HTTP/1.1.'];
  const body = JSON.stringify(errorBody(code, message));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
