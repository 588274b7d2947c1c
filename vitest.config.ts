import { defineConfig } from 'vitest/config';

/**
 * Three projects: everything else, the CLI suite once more through the native client
 * (LATCHKEY_TEST_CLI=native, test/integration/cli/run-cli.ts), so that both entry points
 * are held to the same messages, exit codes and output, and the reliability suites. The
 * few files about the Node entry's own build are left out of the second run
 * (NODE_ENTRY_ONLY).
 *
 * The reliability suites (test/reliability/: SIGKILL loops, 1,000 requests in flight) run
 * after the other two have finished (groupOrder): beside them, on 2 cores, they starved
 * timing-sensitive CLI tests (a SIGTERM forwarded by `exec` timed out in CI).
 */
const NODE_ENTRY_ONLY = [
  // The Node bundle's size and contents.
  'test/integration/cli/fast-path-bundle.test.ts',
  // createCliContext and the Node agent launcher, in this process.
  'test/integration/cli/agent-autostart.test.ts',
];

const RELIABILITY = 'test/reliability/**/*.test.ts';

const shared = {
  testTimeout: 15_000,
  hookTimeout: 15_000,
};

export default defineConfig({
  test: {
    // 2 cores here and in CI: more forks only contend.
    maxWorkers: 2,
    reporters: ['default', './test/plain-summary-reporter.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'all',
          include: ['test/**/*.test.ts'],
          exclude: [RELIABILITY],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'cli-native',
          include: ['test/integration/cli/**/*.test.ts'],
          exclude: NODE_ENTRY_ONLY,
          env: { LATCHKEY_TEST_CLI: 'native' },
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: { ...shared, name: 'reliability', include: [RELIABILITY], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
