// `npm run soak [-- --kills N --agent-races N --fuzz-runs N --load-seconds N]`: the long
// versions of the reliability suites in test/reliability/ (docs/reliability.md). Without
// flags it runs the soak sizes of test/reliability/suite-size.ts; each flag overrides one.
// The suites run under the private test keyring, as in `npm test`, and each records its
// counts in test-results/reliability/<suite>.json; this script prints them at the end.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const FLAGS = {
  kills: 'LATCHKEY_SOAK_KILLS',
  'agent-races': 'LATCHKEY_SOAK_AGENT_RACES',
  'fuzz-runs': 'LATCHKEY_SOAK_FUZZ_RUNS',
  'load-seconds': 'LATCHKEY_SOAK_LOAD_SECONDS',
};

function usage(message) {
  process.stderr.write(`soak: ${message}\nusage: npm run soak -- [--kills N] [--agent-races N] [--fuzz-runs N] [--load-seconds N] [test/reliability/FILE...]\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' }])),
  });
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}

const env = { ...process.env, LATCHKEY_SOAK: '1' };
for (const [flag, variable] of Object.entries(FLAGS)) {
  const text = parsed.values[flag];
  if (text === undefined) continue;
  if (!/^[1-9][0-9]*$/.test(text)) usage(`--${flag} takes a whole number of 1 or more, not "${text}"`);
  env[variable] = text;
}

const resultsDir = resolve('test-results', 'reliability');
rmSync(resultsDir, { recursive: true, force: true });
const files = parsed.positionals.length > 0 ? parsed.positionals : ['test/reliability/'];
const run = spawnSync('scripts/with-test-keyring.sh', ['npx', 'vitest', 'run', '--project', 'reliability', ...files], { env, stdio: 'inherit' });

if (existsSync(resultsDir)) {
  process.stdout.write('\nReliability counts (test-results/reliability/):\n');
  for (const name of readdirSync(resultsDir).filter((file) => file.endsWith('.json')).sort()) {
    const record = JSON.parse(readFileSync(join(resultsDir, name), 'utf8'));
    process.stdout.write(`  ${record.suite}: ${JSON.stringify(record.counts)}\n`);
  }
}
process.exit(run.status ?? 1);
