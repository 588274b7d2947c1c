// Run as a second local user: tries to connect to a Unix socket and says how it went, as
// one JSON line, so a test can prove another user cannot reach the agent.
//   node connect.mjs SOCKET_PATH
import { connect } from 'node:net';

const [socketPath] = process.argv.slice(2);
const socket = connect(socketPath);
socket.once('connect', () => {
  console.log(JSON.stringify({ event: 'result', outcome: 'connected' }));
  socket.destroy();
});
socket.once('error', (error) => {
  console.log(JSON.stringify({ event: 'result', outcome: error.code ?? error.message }));
});
