// The attacker's pipelining flood for the exec-port tests (docs/security.md): run as a
// second local user, it holds CONNECTIONS TCP connections to a victim's `latchkey exec`
// port on 127.0.0.1, writes REQUESTS pipelined GETs on each the moment it connects, one
// more every 100 ms, and never reads a byte of the answers, so that the agent's answers
// back up unread. A write is how it learns that the agent closed a connection (it reads
// nothing); it then opens another. It reports on stdout every 200 ms, one JSON line:
// {"event":"progress","opened":...,"open":...,"closedByAgent":...,"failed":...}, until killed.
//   node pipelined-requests.mjs PORT CONNECTIONS REQUESTS
import { connect } from 'node:net';
import { clearInterval, setInterval, setTimeout } from 'node:timers';

const [portText, connectionsText, requestsText] = process.argv.slice(2);
const port = Number(portText);
const connections = Number(connectionsText);
const requests = Number(requestsText);

// One buffer for every connection: a write keeps a reference, it does not copy.
const request = `GET /v1/container-credentials/unknown HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
const payload = Buffer.from(request.repeat(requests));
const counts = { opened: 0, open: 0, closedByAgent: 0, failed: 0 };

function openOne() {
  const socket = connect({ host: '127.0.0.1', port });
  let connected = false;
  let more;
  socket.on('error', () => undefined);
  socket.once('connect', () => {
    connected = true;
    counts.opened += 1;
    counts.open += 1;
    // Never read: the agent's answers stay in its buffers and the kernel's.
    socket.pause();
    socket.write(payload);
    more = setInterval(() => socket.write(request), 100);
  });
  socket.once('close', () => {
    clearInterval(more);
    if (connected) {
      counts.open -= 1;
      counts.closedByAgent += 1;
    } else {
      counts.failed += 1;
    }
    setTimeout(openOne, 20);
  });
}

setInterval(() => console.log(JSON.stringify({ event: 'progress', ...counts })), 200);
for (let i = 0; i < connections; i += 1) openOne();
