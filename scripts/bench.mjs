// `npm run bench`: how fast Latchkey hands out credentials (issue 4, section 3).
// 1. Paired runs of `node -e 0` and `latchkey credential-process --profile P` with warm
//    cached credentials; prints both medians and the ratio (target: at most 1.3), beside
//    the floor: a minimal Node script making the same request.
// 2. 200 concurrent credential requests for one cold role: the agent must make one
//    upstream GetRoleCredentials call; its throughput is shown beside a minimal node:http
//    server on a Unix socket (the floor).
// The emulator and the agent run in this process (the agent with an in-memory secret
// store, so no keychain is needed); the CLI runs as the AWS CLI would run it, a new
// process per call. Results go to bench/results/latest.json and latest.md.
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 30);
const CONCURRENCY = 200;
const TARGET_RATIO = 1.3;
const cli = resolve('dist/cli/latchkey.cjs');

const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (built.status !== 0) throw new Error('npm run build failed');

// The harness: emulator, agent and in-memory store, bundled once for this process.
const harnessFile = resolve('node_modules/.cache/latchkey-bench/harness.mjs');
await build({
  stdin: {
    contents: [
      "export { startEmulator } from './test/emulator/emulator';",
      "export { startAgent } from './main/agent/agent';",
      "export { InMemorySecretStore } from './main/core/in-memory-secret-store';",
      "export { silentLogger } from './main/core/logger';",
    ].join('\n'),
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  outfile: harnessFile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['@github/keytar'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
const { startEmulator, startAgent, InMemorySecretStore, silentLogger } = await import(pathToFileURL(harnessFile).href);

const dir = await mkdtemp(join(tmpdir(), 'latchkey-bench-'));
const socketPath = join(dir, 'run', 'agent.sock');
const configFile = join(dir, 'config');
await writeFile(
  configFile,
  [
    '[sso-session bench]',
    'sso_start_url = https://bench.awsapps.com/start',
    'sso_region = us-east-1',
    '',
    '[profile bench-dev]',
    `credential_process = ${process.execPath} ${cli} credential-process --profile bench-dev`,
    'latchkey_session = bench',
    'latchkey_account_id = 111111111111',
    'latchkey_role_name = Developer',
    '',
  ].join('\n'),
);

const emulator = await startEmulator({ port: 0, autoApprove: true, intervalSeconds: 1 });
const agentEnv = {
  HOME: dir,
  AWS_CONFIG_FILE: configFile,
  AWS_ENDPOINT_URL_SSO_OIDC: emulator.baseUrl,
  AWS_ENDPOINT_URL_SSO: emulator.baseUrl,
  LATCHKEY_SOCKET: socketPath,
};
const agent = await startAgent({
  env: agentEnv,
  platform: process.platform,
  homeDir: dir,
  socketPath,
  secretStore: new InMemorySecretStore(),
  openBrowser: async () => undefined,
  logger: silentLogger,
});

try {
  await call('POST', '/v1/sessions/bench/sign-in', { flow: 'device-code', openBrowser: false });
  await call('POST', '/v1/sessions/bench/sign-in/wait?timeoutSeconds=60');
  await call('GET', '/v1/credentials?profile=bench-dev'); // warm

  // Paired runs in alternating order, so drift (thermal, other load) hits both alike.
  const cliEnv = { PATH: process.env.PATH ?? '', HOME: dir, LATCHKEY_SOCKET: socketPath };
  // The floor for any Node client: the smallest program that makes the same request to the
  // agent over node:net and prints the body. What Latchkey costs above it is its own.
  const floorScript = join(dir, 'raw-request.cjs');
  await writeFile(
    floorScript,
    [
      "const s = require('node:net').connect(process.env.LATCHKEY_SOCKET);",
      "let b = '';",
      "s.on('connect', () => s.write('GET /v1/credentials?profile=bench-dev HTTP/1.1\\r\\nHost: latchkey\\r\\nConnection: close\\r\\n\\r\\n'));",
      "s.on('data', (d) => (b += d));",
      "s.on('end', () => process.stdout.write(b.slice(b.indexOf('\\r\\n\\r\\n') + 4)));",
    ].join('\n'),
  );
  const baseline = [];
  const latchkey = [];
  const rawRequest = [];
  for (let i = 0; i < 3; i += 1) await timed(process.execPath, [cli, 'credential-process', '--profile', 'bench-dev'], cliEnv); // disk cache
  for (let i = 0; i < PAIRS; i += 1) {
    const runs = [
      async () => baseline.push(await timed(process.execPath, ['-e', '0'], cliEnv)),
      async () => latchkey.push(await timed(process.execPath, [cli, 'credential-process', '--profile', 'bench-dev'], cliEnv, true)),
      async () => rawRequest.push(await timed(process.execPath, [floorScript], cliEnv)),
    ];
    // Rotated, so drift (thermal, other load) hits all three alike.
    for (let k = 0; k < i % 3; k += 1) runs.push(runs.shift());
    for (const run of runs) await run();
  }
  const baselineMs = median(baseline);
  const latchkeyMs = median(latchkey);
  const rawRequestMs = median(rawRequest);
  const ratio = latchkeyMs / baselineMs;

  // 200 concurrent requests for a role nobody has asked for yet: one upstream call.
  const before = await emulatorCalls();
  const cold = await burst(socketPath, '/v1/credentials?session=bench&accountId=222222222222&roleName=ReadOnly');
  const after = await emulatorCalls();
  const upstreamCalls = after.GetRoleCredentials - before.GetRoleCredentials;
  const warm = await burst(socketPath, '/v1/credentials?session=bench&accountId=222222222222&roleName=ReadOnly');
  const floorSocket = join(dir, 'floor.sock');
  const floor = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  await new Promise((r) => floor.listen(floorSocket, r));
  const floorBurst = await burst(floorSocket, '/');
  await new Promise((r) => floor.close(r));

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    command: 'npm run bench',
    credentialProcess: {
      pairs: PAIRS,
      nodeMedianMs: round(baselineMs),
      latchkeyMedianMs: round(latchkeyMs),
      ratio: round(ratio, 3),
      rawRequestMedianMs: round(rawRequestMs),
      rawRequestRatio: round(rawRequestMs / baselineMs, 3),
      target: TARGET_RATIO,
      meetsTarget: ratio <= TARGET_RATIO,
    },
    concurrency: {
      requests: CONCURRENCY,
      upstreamGetRoleCredentials: upstreamCalls,
      agentColdRequestsPerSecond: Math.round(cold.perSecond),
      agentWarmRequestsPerSecond: Math.round(warm.perSecond),
      floorRequestsPerSecond: Math.round(floorBurst.perSecond),
      failures: cold.failures + warm.failures + floorBurst.failures,
    },
  };
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
  await writeFile('bench/results/latest.md', markdown(results));
  process.stdout.write(markdown(results));
  if (upstreamCalls !== 1) {
    process.stderr.write(`bench: expected 1 upstream GetRoleCredentials call for ${CONCURRENCY} requests, saw ${upstreamCalls}.\n`);
    process.exitCode = 1;
  }
} finally {
  await agent.close();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
}

function markdown(r) {
  const c = r.credentialProcess;
  const k = r.concurrency;
  return [
    `### Benchmark (\`${r.command}\`, ${r.date.slice(0, 10)}, Node ${r.node}, ${r.platform})`,
    '',
    '| measure | result |',
    '| --- | --- |',
    `| \`node -e 0\`, median of ${c.pairs} | ${c.nodeMedianMs} ms |`,
    `| \`latchkey credential-process\` (warm), median of ${c.pairs} | ${c.latchkeyMedianMs} ms |`,
    `| ratio (target ≤ ${c.target}) | **${c.ratio}** ${c.meetsTarget ? '✓' : '✗'} |`,
    `| floor: the same request from a minimal Node script over node:net, median | ${c.rawRequestMedianMs} ms (ratio ${c.rawRequestRatio}) |`,
    `| ${k.requests} concurrent requests, one cold role: upstream GetRoleCredentials calls | ${k.upstreamGetRoleCredentials} |`,
    `| agent throughput, cold role / warm | ${k.agentColdRequestsPerSecond} / ${k.agentWarmRequestsPerSecond} requests/s |`,
    `| floor: minimal node:http server on a Unix socket | ${k.floorRequestsPerSecond} requests/s |`,
    '',
  ].join('\n');
}

function timed(file, args, env, checkJson = false) {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}`));
      if (checkJson && JSON.parse(out).Version !== 1) return reject(new Error('bad credential_process output'));
      resolvePromise(ms);
    });
  });
}

function call(method, path, body) {
  return new Promise((resolvePromise, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ socketPath, method, path, agent: false, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => (res.statusCode >= 300 ? reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`)) : resolvePromise(text)));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function emulatorCalls() {
  return new Promise((resolvePromise, reject) => {
    const req = request(`${emulator.baseUrl}/_emulator/calls`, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolvePromise(JSON.parse(text)));
    });
    req.on('error', reject);
    req.end();
  });
}

async function burst(path, urlPath) {
  const start = process.hrtime.bigint();
  const outcomes = await Promise.all(
    Array.from({ length: CONCURRENCY }, () =>
      new Promise((resolvePromise) => {
        const req = request({ socketPath: path, path: urlPath, agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolvePromise(res.statusCode === 200));
        });
        req.on('error', () => resolvePromise(false));
        req.end();
      }),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: CONCURRENCY / seconds, failures: outcomes.filter((ok) => !ok).length };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value, digits = 1) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
