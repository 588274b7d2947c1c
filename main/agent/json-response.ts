import type { ServerResponse } from 'node:http';
import type { Logger } from '../core/logger';
import { errorResponse } from './error-status';

/**
 * Writes a JSON answer. `no-store`: these bodies hold credentials and tokens, and nothing
 * between the agent and its caller should keep them.
 */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: object | undefined,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'Cache-Control': 'no-store',
    ...(text === '' ? {} : { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) }),
  });
  response.end(text);
}

/** Answers with the mapped status and `{"error":{...}}`; `close` ends the connection after it. */
export function sendError(response: ServerResponse, error: unknown, logger: Logger, close = false): void {
  const { status, body } = errorResponse(error, logger);
  sendJson(response, status, body, close ? { Connection: 'close' } : {});
}
