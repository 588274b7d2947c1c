import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { AgentHarness } from '../agent/agent-harness';
import { buildCli, type BuiltCli } from './build-cli';

export interface CliSuite {
  /** The CLI built for this file, once, before its first test. */
  readonly cli: BuiltCli;
  /** Closes `harness` (its agent and emulator) after the test that started it; returns it. */
  closesAfterTest<T extends AgentHarness>(harness: T): T;
}

/**
 * For a test file that runs the built CLI against real agents: builds the CLI once,
 * removes it at the end, and closes each test's agents after that test.
 */
export function cliSuite(): CliSuite {
  let built: BuiltCli | undefined;
  const open: AgentHarness[] = [];
  beforeAll(async () => {
    built = await buildCli();
  });
  afterAll(async () => {
    if (built !== undefined) await rm(built.dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((harness) => harness.close()));
  });
  return {
    get cli(): BuiltCli {
      if (built === undefined) throw new Error('The CLI is built in beforeAll; use it inside a test.');
      return built;
    },
    closesAfterTest(harness) {
      open.push(harness);
      return harness;
    },
  };
}
