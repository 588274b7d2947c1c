// The agent as the load test runs it: the agent-process tests' child (runAgentUntilSignal
// with an in-memory keychain, on the socket named by argv[2]), started with --expose-gc.
// On SIGUSR2 it collects garbage and writes "heap-used <bytes>" to stderr: memory kept
// across a run of requests, which resident memory cannot show (V8 keeps the pages it grew).
import { runAgentUntilSignal } from '../../main/agent/run-agent-until-signal';
import { InMemorySecretStore } from '../../main/core/in-memory-secret-store';
import { silentLogger } from '../../main/core/logger';

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  process.stderr.write(`heap-used ${process.memoryUsage().heapUsed}\n`);
});

void runAgentUntilSignal({
  env: process.env,
  socketPath: process.argv[2],
  secretStore: new InMemorySecretStore(),
  logger: silentLogger,
}).then((code) => {
  process.exitCode = code;
});
