import { defineConfig } from 'vitest/config';

/**
 * Two projects: everything, and the CLI suite once more through the native client
 * (LATCHKEY_TEST_CLI=native, test/integration/cli/run-cli.ts), so that both entry points
 * are held to the same messages, exit codes and output. The few files about the Node
 * entry's own build are left out of the second run (NODE_ENTRY_ONLY).
 */
const NODE_ENTRY_ONLY = [
  // The Node bundle's size and contents.
  'test/integration/cli/fast-path-bundle.test.ts',
  // createCliContext and the Node agent launcher, in this process.
  'test/integration/cli/agent-autostart.test.ts',
];

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
      { test: { ...shared, name: 'all', include: ['test/**/*.test.ts'] } },
      {
        test: {
          ...shared,
          name: 'cli-native',
          include: ['test/integration/cli/**/*.test.ts'],
          exclude: NODE_ENTRY_ONLY,
          env: { LATCHKEY_TEST_CLI: 'native' },
        },
      },
    ],
  },
});
