// The attacker's connection flood for the exec-port tests (docs/security.md, finding 4 of
// issue 8): run as a second local user, it opens TOTAL TCP connections to a victim's
// `latchkey exec` port on 127.0.0.1 and never sends a byte on any of them, keeping every
// connection the agent leaves open, and opening the next one as soon as one is set up or
// closed (at most IN_FLIGHT connects pending at a time). It reports on stdout, one JSON
// line each: {"event":"progress",...} every 200 ms and {"event":"done",...} once TOTAL
// connections were opened, then holds what is left open until it is killed.
//   node idle-connections.mjs PORT TOTAL [IN_FLIGHT]
import { connect } from 'node:net';
import { clearInterval, setInterval } from 'node:timers';

const [portText, totalText, inFlightText = '200'] = process.argv.slice(2);
const port = Number(portText);
const total = Number(totalText);
const inFlight = Number(inFlightText);

const counts = { opened: 0, open: 0, closedByAgent: 0, failed: 0 };
let pending = 0;
const held = new Set();

function report(event) {
  console.log(JSON.stringify({ event, ...counts }));
}

function next() {
  while (pending < inFlight && counts.opened + pending < total) {
    pending += 1;
    const socket = connect({ host: '127.0.0.1', port });
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      pending -= 1;
      counts.opened += 1;
      counts.open += 1;
      held.add(socket);
      finishedOrMore();
    });
    socket.on('error', () => undefined);
    socket.once('close', () => {
      held.delete(socket);
      if (connected) {
        counts.open -= 1;
        counts.closedByAgent += 1;
      } else {
        pending -= 1;
        counts.failed += 1;
        counts.opened += 1;
        finishedOrMore();
      }
    });
    // Read, so that the agent's FIN shows as a close here.
    socket.resume();
  }
}

let done = false;
function finishedOrMore() {
  if (!done && counts.opened >= total) {
    done = true;
    clearInterval(progress);
    report('done');
    return;
  }
  next();
}

const progress = setInterval(() => report('progress'), 200);
next();
