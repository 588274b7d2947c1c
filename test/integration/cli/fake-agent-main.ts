import { appendFileSync } from 'node:fs';
import { FakeAgent } from '../../support/fake-agent';

/**
 * A process that behaves like `latchkey agent` on the socket: it binds LATCHKEY_SOCKET
 * or, when a live agent owns it, exits 1. Each start and refusal is logged to
 * FAKE_AGENT_LOG so the autostart race test can count them.
 */
const socketPath = process.env['LATCHKEY_SOCKET'] ?? '';
const log = process.env['FAKE_AGENT_LOG'] ?? '';
try {
  const agent = await FakeAgent.start(socketPath);
  appendFileSync(log, `${process.pid} serving\n`);
  process.once('SIGTERM', () => void agent.close().then(() => process.exit(0)));
} catch {
  appendFileSync(log, `${process.pid} refused\n`);
  process.exit(1);
}
