import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How big each reliability suite runs. `npm test` runs the short sizes below, chosen to
 * fit CI; `npm run soak` (scripts/soak.mjs) sets LATCHKEY_SOAK=1 and the per-suite
 * variables from its flags for the long versions. Every suite reads its size here and
 * nowhere else, so the two runs differ only in these numbers.
 */
export interface SuiteSize {
  /** SIGKILLs of the agent per durability scenario. */
  kills: number;
  /** Rounds of two agents started at the same moment. */
  agentRaces: number;
  /** fast-check runs per property. */
  fuzzRuns: number;
  /** How long the load test keeps 1,000 requests in flight. */
  loadSeconds: number;
}

const SHORT: SuiteSize = { kills: 12, agentRaces: 10, fuzzRuns: 300, loadSeconds: 5 };
const SOAK: SuiteSize = { kills: 200, agentRaces: 100, fuzzRuns: 20_000, loadSeconds: 60 };

export const soaking = process.env['LATCHKEY_SOAK'] === '1';

function sizeFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of 1 or more, not "${text}".`);
  return value;
}

const base = soaking ? SOAK : SHORT;

export const suiteSize: Readonly<SuiteSize> = {
  kills: sizeFromEnv('LATCHKEY_SOAK_KILLS', base.kills),
  agentRaces: sizeFromEnv('LATCHKEY_SOAK_AGENT_RACES', base.agentRaces),
  fuzzRuns: sizeFromEnv('LATCHKEY_SOAK_FUZZ_RUNS', base.fuzzRuns),
  loadSeconds: sizeFromEnv('LATCHKEY_SOAK_LOAD_SECONDS', base.loadSeconds),
};

/**
 * A test timeout that grows with the work: `perUnitMs` for each unit of `units`, plus
 * a fixed allowance for setup. Soak sizes would otherwise trip vitest's 15 s default.
 */
export function timeoutFor(units: number, perUnitMs: number, setupMs = 15_000): number {
  return setupMs + units * perUnitMs;
}

/**
 * Records what one suite counted (faults injected, kills survived, cases run...) in
 * test-results/reliability/<suite>.json, which `npm run soak` sums up and
 * docs/reliability.md quotes. Each run of a suite replaces its file.
 */
export function recordCounts(suite: string, counts: Record<string, unknown>): void {
  const dir = join(process.cwd(), 'test-results', 'reliability');
  mkdirSync(dir, { recursive: true });
  const record = { suite, soak: soaking, size: suiteSize, recordedAt: new Date().toISOString(), counts };
  writeFileSync(join(dir, `${suite}.json`), `${JSON.stringify(record, null, 2)}\n`);
}
