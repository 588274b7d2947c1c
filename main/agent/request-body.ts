import type { IncomingMessage } from 'node:http';
import { LatchkeyError } from '../core/errors';

/**
 * Reads the body, refusing more than `maxBytes` as soon as the limit is passed (by the
 * declared Content-Length or by counting), so an endless upload costs nothing. Returns the
 * parsed JSON, or `undefined` for an empty body.
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const { chunks, total } = await collect(request, maxBytes);
  if (total === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new LatchkeyError('invalid_request', 'The request body is not valid JSON.');
  }
}

/**
 * Events rather than `for await`: leaving an async iterator early destroys the request and
 * with it the socket, and the 413 must still reach the caller.
 */
function collect(request: IncomingMessage, maxBytes: number): Promise<{ chunks: Buffer[]; total: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onError);
    function onData(chunk: Buffer): void {
      total += chunk.length;
      if (total <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      cleanUp();
      // Stop reading: the connection is closed once the 413 is written.
      request.pause();
      reject(tooLarge(maxBytes));
    }
    function onEnd(): void {
      cleanUp();
      resolve({ chunks, total });
    }
    function onError(error: Error): void {
      cleanUp();
      reject(error);
    }
    function cleanUp(): void {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    }
  });
}

function tooLarge(maxBytes: number): LatchkeyError {
  return new LatchkeyError('payload_too_large', `The request body is larger than ${maxBytes / 1024} KiB.`);
}
