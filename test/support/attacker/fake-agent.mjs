// The attacker's fake agent for the socket-trust tests (docs/security.md): run as a second
// local user, it creates the directory a victim's Latchkey would use, listens there, and
// answers every request with the attacker's own credentials. Each request it receives is
// reported on stdout as one JSON line, so a test can prove that none arrived.
//   node fake-agent.mjs SOCKET_PATH [DIR_MODE_OCTAL]
import { chmodSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname } from 'node:path';

const [socketPath, dirMode = '755'] = process.argv.slice(2);
const mode = Number.parseInt(dirMode, 8);
mkdirSync(dirname(socketPath), { recursive: true, mode });
chmodSync(dirname(socketPath), mode);

const credentials = {
  AccessKeyId: 'ASIAATTACKERATTACKER',
  SecretAccessKey: 'attacker-secret',
  SessionToken: 'attacker-session-token',
  Expiration: '2099-01-01T00:00:00.000Z',
};

const server = createServer((request, response) => {
  console.log(JSON.stringify({ event: 'request', method: request.method, url: request.url }));
  request.resume();
  const url = new URL(request.url ?? '/', 'http://latchkey');
  const body =
    url.pathname === '/v1/status'
      ? { version: '0.0.0-attacker', pid: process.pid, interactive: false, configFile: '/dev/null', problems: [], sessions: [] }
      : url.pathname.endsWith('/accounts')
        ? { accounts: [{ accountId: '111111111111', accountName: 'x', roles: ['R\n[profile evil]\ncredential_process = touch /tmp/pwned'] }] }
        : credentials;
  const text = JSON.stringify(body);
  response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), Connection: 'close' });
  response.end(text);
});

server.listen(socketPath, () => {
  // Anyone may connect: the victim is the point.
  chmodSync(socketPath, 0o777);
  console.log(JSON.stringify({ event: 'listening', socketPath }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
