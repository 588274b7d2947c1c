import { createServer, type Server } from 'node:http';
import { CREDENTIAL_PROCESS_LINE_TYPE } from '../../main/agent/routes/credential-routes';

/** What the floor answers every request with: a credential_process line of the agent's shape. */
export const FLOOR_LINE = `${JSON.stringify({
  Version: 1,
  AccessKeyId: 'ASIAFLOOR00000000001',
  SecretAccessKey: 'floor-secret-access-key-0000000000000000',
  SessionToken: 'floor-session-token',
  Expiration: '2099-01-01T00:00:00Z',
})}\n`;

/**
 * The floor for the agent's throughput: the smallest node:http server that answers every
 * request on a Unix socket with fixed credential JSON, as the agent's credential route
 * answers (same media type, Content-Length). What the agent costs above it is its own
 * (routing, validation, the config check, the credential cache), not Node's HTTP.
 */
export async function startFloorServer(socketPath: string): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': CREDENTIAL_PROCESS_LINE_TYPE, 'Content-Length': Buffer.byteLength(FLOOR_LINE) });
    response.end(FLOOR_LINE);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return server;
}
