import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type StubHandler = (request: StubRequest, res: ServerResponse) => void;

export interface StubServer {
  baseUrl: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1 that records every request and answers through `handler`. */
export async function startStubServer(handler: StubHandler): Promise<StubServer> {
  const requests: StubRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      handler(request, res);
    });
  });
  const port = await listen(server);
  return { baseUrl: `http://127.0.0.1:${port}`, requests, close: () => closeServer(server) };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** An OIDC error exactly as IAM Identity Center sends it. */
export function sendOidcError(res: ServerResponse, status: number, exception: string, code: string): void {
  sendJson(res, status, { error: code, error_description: `${code} happened` }, {
    'x-amzn-ErrorType': `${exception}:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/`,
    'x-amzn-RequestId': '00000000-0000-4000-8000-00000000001a',
  });
}

/** A portal error exactly as IAM Identity Center sends it. */
export function sendPortalError(res: ServerResponse, status: number, errorName: string): void {
  sendJson(res, status, { message: `${errorName} happened`, __type: `com.amazonaws.switchboard.portal#${errorName}` }, {
    'x-amzn-RequestId': '00000000-0000-4000-8000-00000000002b',
  });
}

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
