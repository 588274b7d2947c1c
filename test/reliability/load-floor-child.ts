// The floor server (load-floor-server.ts) as a process of its own, on the socket named by
// argv[2], so the load test measures it as it measures the agent: in a child, over the socket.
import { startFloorServer } from './load-floor-server';

void startFloorServer(process.argv[2] ?? '').then((server) => {
  process.stderr.write('Floor ready.\n');
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
});
