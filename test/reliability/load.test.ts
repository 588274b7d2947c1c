import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_LIMITS } from '../../main/agent/agent-server';
import { CREDENTIAL_PROCESS_LINE_TYPE } from '../../main/agent/routes/credential-routes';
import { startEmulator, type Emulator } from '../emulator/emulator';
import { EmulatorAdmin } from '../support/emulator-admin';
import { agentRequest, shortTempDir } from '../integration/agent/agent-harness';
import { buildCli } from '../integration/cli/build-cli';
import { startAgentChild, startFloorChild, type ServerChild } from './load-children';
import { combineRounds, generateLoad, type LoadResult, type LoadTarget } from './load-generator';
import { ProcessMeter, sampleProcess, type ProcessSample } from './load-process-meter';
import { recordCounts, suiteSize, timeoutFor } from './suite-size';

/**
 * Issue 14, part 5: 1,000 credential_process requests in flight at every moment, across
 * 50 roles, for suiteSize.loadSeconds, against a real agent in a child process over its
 * socket; every answer valid, the agent's descriptors and memory bounded, the credential
 * cache holding (one GetRoleCredentials per role), and memory back near idle afterwards.
 * Then the same load against a minimal node:http server (the floor), for the ratio.
 */

const CONCURRENCY = 1000;
const ACCOUNTS = 10;
const ROLES_PER_ACCOUNT = 5;
const ROLE_COUNT = ACCOUNTS * ROLES_PER_ACCOUNT;
/** The emulator's role credentials last this long (its default), so one call per role covers any run here. */
const CREDENTIALS_SECONDS = 3600;
/** The real clients run during the load: enough to meet the agent at its busiest, few enough not to be the load. */
const REAL_CLIENTS = 24;
/** The floor is steady within seconds; a soak's minute of it would add nothing. */
const FLOOR_SECONDS = Math.min(suiteSize.loadSeconds, 5);
/**
 * The agent's descriptors at most: its connection cap (every connection is one), plus
 * what it holds idle (the listening socket, the emulator's keep-alive, stdio, V8's and
 * libuv's own: 28 to 34 measured idle here) with room to spare.
 */
const FD_IDLE_ALLOWANCE = 64;
/**
 * Peak resident memory of the agent under this load. Set before measuring; the one passing run
 * peaked at 131 MiB (VmHWM), so this is about 3x that. Not yet derived from repeated runs.
 */
const PEAK_RSS_CEILING_MIB = 400;
/*
 * The load runs in two equal rounds, and memory is measured after each. Resident memory
 * says little: V8 keeps the pages it grew to hold 1,000 requests at once (67 -> 128 MiB
 * after round one), and round two moved it by -8 to +30 MiB from run to run; it is
 * recorded, not bounded. The heap still in use after a full collection (the child runs
 * with --expose-gc and reports it on SIGUSR2) is what shows something kept per request.
 * Round one includes the warm-up (compiled code, inline caches, Node's parser and buffer
 * pools: ~1.3 MiB, recorded); round two must add next to nothing.
 */
/**
 * Heap in use after round two, less after round one, at most. With nothing kept per
 * request it moved by at most 0.3 MiB: five rounds of 5,000 requests against one agent
 * stayed within 9.0-9.3 MiB, and this test's round two added 0.1 MiB. The leak this
 * bound is for, a recent-roles write queued per request (fixed in main/core/recent-roles.ts),
 * kept ~1.7 KiB a request: +4.5 MiB in round two here, +8 MiB per 5,000 requests. A short
 * run's round two makes 2,200-3,200 requests on these 2 cores, so 1.5 MiB, five times
 * the noise, breaks for anything kept at ~500-700 bytes a request or more (less in a
 * soak's longer rounds).
 */
const HEAP_GROWTH_ROUND_TWO_MAX_MIB = 1.5;
/** After the load, the agent is measured idle once its connections have closed and this long has passed. */
const SETTLE_MS = 3_000;

const ROLE_NAMES = ['Developer', 'ReadOnly', 'Administrator', 'Billing', 'Auditor'];

interface Profile {
  name: string;
  accountId: string;
  roleName: string;
}

const profiles: Profile[] = Array.from({ length: ROLE_COUNT }, (_, i) => ({
  name: `load-${String(i + 1).padStart(2, '0')}`,
  accountId: String(100000000001 + Math.floor(i / ROLES_PER_ACCOUNT)),
  roleName: ROLE_NAMES[i % ROLES_PER_ACCOUNT] ?? 'Developer',
}));

let dir: string;
let emulator: Emulator;
let admin: EmulatorAdmin;
let agent: ServerChild | undefined;
let floor: ServerChild | undefined;
let configFile: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await shortTempDir();
  emulator = await startEmulator({ port: 0, autoApprove: true, intervalSeconds: 0, credentialsTtlSeconds: CREDENTIALS_SECONDS });
  admin = new EmulatorAdmin(emulator.baseUrl);
  await admin.call('POST', 'directory', { generate: { accounts: ACCOUNTS, rolesPerAccount: ROLES_PER_ACCOUNT } });
  configFile = join(dir, 'config');
  await writeFile(configFile, awsConfig());
  env = {
    HOME: dir,
    AWS_CONFIG_FILE: configFile,
    AWS_ENDPOINT_URL_SSO_OIDC: emulator.baseUrl,
    AWS_ENDPOINT_URL_SSO: emulator.baseUrl,
    LATCHKEY_SOCKET: join(dir, 'agent.sock'),
  };
  agent = await startAgentChild(dir, env['LATCHKEY_SOCKET'] ?? '', env);
}, 30_000);

afterAll(async () => {
  await agent?.stop();
  await floor?.stop();
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

function awsConfig(): string {
  const lines = ['[sso-session load]', 'sso_start_url = https://load.example.com/start', 'sso_region = us-east-1', ''];
  for (const p of profiles) {
    lines.push(`[profile ${p.name}]`, 'latchkey_session = load', `latchkey_account_id = ${p.accountId}`, `latchkey_role_name = ${p.roleName}`, '');
  }
  return lines.join('\n');
}

/** The native client's request byte for byte (native/latchkey/src/fast_path.rs). */
function credentialProcessRequest(profile: string): string {
  return (
    `GET /v1/credentials?profile=${encodeURIComponent(profile)}&waitSeconds=0 HTTP/1.0\r\nHost: latchkey\r\n` +
    `Accept: ${CREDENTIAL_PROCESS_LINE_TYPE}\r\nLatchkey-Aws-Config-File: ${encodeURIComponent(configFile)}\r\n\r\n`
  );
}

/** Why `text` is not a credential_process answer, or undefined when it is one. */
function credentialProblem(text: string): string | undefined {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return `not JSON: ${text.slice(0, 80)}`;
  }
  if (json['Version'] !== 1) return `Version ${String(json['Version'])}`;
  for (const key of ['AccessKeyId', 'SecretAccessKey', 'SessionToken']) {
    if (typeof json[key] !== 'string' || json[key] === '') return `no ${key}`;
  }
  if (typeof json['Expiration'] !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(json['Expiration'])) return 'no RFC 3339 Expiration';
  return undefined;
}

/** Targets that check each answer and remember which access key each profile got. */
function credentialTargets(keysByProfile: Map<string, Set<string>>): LoadTarget[] {
  return profiles.map((p) => ({
    request: credentialProcessRequest(p.name),
    check(status: number, body: string): string | undefined {
      if (status !== 200) return `${p.name}: status ${status}: ${body.slice(0, 120)}`;
      const problem = credentialProblem(body);
      if (problem !== undefined) return `${p.name}: ${problem}`;
      const key = (JSON.parse(body) as { AccessKeyId: string }).AccessKeyId;
      const keys = keysByProfile.get(p.name) ?? new Set<string>();
      keysByProfile.set(p.name, keys.add(key));
      return undefined;
    },
  }));
}

/** The credential_process command as the AWS CLI runs it: the native client if built, else the Node CLI's bundle. */
async function realClient(): Promise<{ kind: string; file: string; args: string[] }> {
  const native = resolve('dist/bin/latchkey');
  if (existsSync(native)) return { kind: 'native (dist/bin/latchkey)', file: native, args: [] };
  const cli = await buildCli();
  return { kind: 'Node CLI (built by build-cli.ts)', file: process.execPath, args: [cli.entry] };
}

/** Runs `count` real clients one after another in two lanes while `running()` holds, each checked. */
async function runRealClients(client: { file: string; args: string[] }, count: number, spreadMs: number): Promise<string[]> {
  const problems: string[] = [];
  const one = (i: number): Promise<void> =>
    new Promise((done) => {
      const profile = profiles[(i * 7) % profiles.length] as Profile;
      const child = spawn(client.file, [...client.args, 'credential-process', '--profile', profile.name], {
        env: { PATH: process.env['PATH'] ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
      child.on('close', (code) => {
        const problem = code !== 0 ? `exit ${code}: ${err.trim()}` : credentialProblem(out);
        if (problem !== undefined) problems.push(`${profile.name}: ${problem}`);
        done();
      });
    });
  const gapMs = spreadMs / count;
  const runs: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    runs.push(one(i));
    await new Promise((r) => setTimeout(r, gapMs));
  }
  await Promise.all(runs);
  return problems;
}

/** The agent child's heap in use after a full collection (SIGUSR2, fixtures/agent-child.ts), MiB. */
async function heapUsedAfterGcMiB(child: ServerChild): Promise<number> {
  const reports = (): number => child.stderr().split('heap-used ').length - 1;
  const before = reports();
  process.kill(child.pid, 'SIGUSR2');
  const deadline = Date.now() + 5_000;
  while (reports() === before) {
    if (Date.now() > deadline) throw new Error('The agent child did not report its heap.');
    await new Promise((r) => setTimeout(r, 20));
  }
  const bytes = Number([...child.stderr().matchAll(/heap-used (\d+)\n/g)].at(-1)?.[1] ?? Number.NaN);
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

async function waitForFds(pid: number, atMost: number, timeoutMs: number): Promise<ProcessSample> {
  const deadline = Date.now() + timeoutMs;
  let sample = sampleProcess(pid);
  while (sample.fds > atMost && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    sample = sampleProcess(pid);
  }
  return sample;
}

describe('the agent under load', () => {
  it(
    `answers ${CONCURRENCY} concurrent credential_process requests across ${ROLE_COUNT} roles for ${suiteSize.loadSeconds} s, every one, with descriptors and memory bounded`,
    async () => {
      const running = agent as ServerChild;
      const socketPath = running.socketPath;
      // Sign in once, then ask for each role once so the idle figure includes the warm cache.
      expect((await agentRequest(socketPath, 'POST', '/v1/sessions/load/sign-in', { body: { flow: 'device-code', openBrowser: false } })).status).toBe(202);
      expect((await agentRequest(socketPath, 'POST', '/v1/sessions/load/sign-in/wait?timeoutSeconds=20')).status).toBe(200);
      const keysByProfile = new Map<string, Set<string>>();
      const targets = credentialTargets(keysByProfile);
      const warm = await generateLoad({ socketPath, concurrency: 10, totalRequests: ROLE_COUNT, target: (n) => targets[n] as LoadTarget });
      expect(warm.failureSamples).toEqual([]);
      const idleBefore = sampleProcess(running.pid);
      const heapUsedBeforeMiB = await heapUsedAfterGcMiB(running);
      const callsBefore = await admin.calls();

      const client = await realClient();
      const meter = new ProcessMeter(running.pid, 100);
      const realClientsDone = runRealClients(client, REAL_CLIENTS, suiteSize.loadSeconds * 1000 * 0.8);
      const roundMs = (suiteSize.loadSeconds * 1000) / 2;
      const runRound = (): Promise<LoadResult> =>
        generateLoad({ socketPath, concurrency: CONCURRENCY, durationMs: roundMs, target: (n) => targets[n % targets.length] as LoadTarget });
      // Idle again: the connections closed (the descriptor count back down), then a while.
      const settle = async (): Promise<ProcessSample & { heapUsedMiB: number }> => {
        await waitForFds(running.pid, idleBefore.fds, 10_000);
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        return { ...sampleProcess(running.pid), heapUsedMiB: await heapUsedAfterGcMiB(running) };
      };
      const firstRound = await runRound();
      const idleAfterFirst = await settle();
      const secondRound = await runRound();
      const load = combineRounds(firstRound, secondRound);
      const realClientProblems = await realClientsDone;
      const underLoad = meter.stop();
      const callsAfter = await admin.calls();
      const idleAfter = await settle();

      floor = await startFloorChild(dir, join(dir, 'floor.sock'));
      const floorTarget: LoadTarget = {
        request: credentialProcessRequest(profiles[0]?.name ?? ''),
        check: (status, body) => (status === 200 ? credentialProblem(body) : `status ${status}`),
      };
      const floorLoad = await generateLoad({ socketPath: floor.socketPath, concurrency: CONCURRENCY, durationMs: FLOOR_SECONDS * 1000, target: () => floorTarget });
      const floorPeak = sampleProcess(floor.pid);
      await floor.stop();
      floor = undefined;

      const issued = (await admin.call('GET', 'issued-credentials')) as { accessKeyId: string; accountId: string; roleName: string }[];
      const issuedFor = new Map(issued.map((c) => [c.accessKeyId, `${c.accountId}/${c.roleName}`]));
      const wrongRole = profiles.flatMap((p) =>
        [...(keysByProfile.get(p.name) ?? [])].filter((key) => issuedFor.get(key) !== `${p.accountId}/${p.roleName}`).map((key) => `${p.name} got ${key}`),
      );
      const upstreamCalls = callsAfter.GetRoleCredentials;
      // Connections, not requests: never more than the cap, nor than the clients that can be connected at once.
      const fdBound = Math.min(DEFAULT_AGENT_LIMITS.maxConnections, CONCURRENCY + REAL_CLIENTS) + FD_IDLE_ALLOWANCE;
      const figures = {
        requests: load.requests,
        failures: load.failures,
        concurrency: CONCURRENCY,
        roles: ROLE_COUNT,
        seconds: load.seconds,
        agentRequestsPerSecond: load.requestsPerSecond,
        floorRequestsPerSecond: floorLoad.requestsPerSecond,
        agentToFloorRatio: Math.round((load.requestsPerSecond / floorLoad.requestsPerSecond) * 100) / 100,
        latencyMs: { p50: load.p50Ms, p99: load.p99Ms, max: load.maxMs },
        floorLatencyMs: { p50: floorLoad.p50Ms, p99: floorLoad.p99Ms, max: floorLoad.maxMs },
        floorFailures: floorLoad.failures,
        floorPeakRssMiB: floorPeak.peakRssMiB,
        peakRssMiB: underLoad.peakRssMiB,
        peakRssCeilingMiB: PEAK_RSS_CEILING_MIB,
        peakFds: meter.peakFds,
        fdBound,
        fdSamples: meter.samples,
        idleRssBeforeMiB: idleBefore.rssMiB,
        idleRssAfterFirstRoundMiB: idleAfterFirst.rssMiB,
        heapUsedBeforeMiB,
        heapUsedAfterFirstRoundMiB: idleAfterFirst.heapUsedMiB,
        heapUsedAfterSecondRoundMiB: idleAfter.heapUsedMiB,
        heapGrowthRoundTwoMiB: Math.round((idleAfter.heapUsedMiB - idleAfterFirst.heapUsedMiB) * 10) / 10,
        heapGrowthRoundTwoMaxMiB: HEAP_GROWTH_ROUND_TWO_MAX_MIB,
        secondRoundRequests: secondRound.requests,
        idleRssAfterMiB: idleAfter.rssMiB,
        idleFdsBefore: idleBefore.fds,
        idleFdsAfter: idleAfter.fds,
        upstreamGetRoleCredentials: upstreamCalls,
        upstreamDuringLoad: callsAfter.GetRoleCredentials - callsBefore.GetRoleCredentials,
        backlogRetries: load.backlogRetries,
        floorBacklogRetries: floorLoad.backlogRetries,
        realClients: REAL_CLIENTS,
        realClient: client.kind,
        realClientFailures: realClientProblems.length,
      };
      recordCounts('load', figures);
      console.info(`load: ${JSON.stringify(figures)}`);
      printSummary(load, floorLoad);

      expect(load.failureSamples).toEqual([]);
      expect(load.failures).toBe(0);
      expect(realClientProblems).toEqual([]);
      expect(wrongRole).toEqual([]);
      expect(keysByProfile.size).toBe(ROLE_COUNT);
      // The cache holds under load: one upstream call per role for the whole run (credentials outlive it).
      expect(upstreamCalls).toBeLessThanOrEqual(ROLE_COUNT * (1 + Math.floor(load.seconds / CREDENTIALS_SECONDS)));
      expect(meter.peakFds).toBeLessThanOrEqual(fdBound);
      expect(underLoad.peakRssMiB).toBeLessThanOrEqual(PEAK_RSS_CEILING_MIB);
      expect(idleAfter.fds).toBeLessThanOrEqual(idleBefore.fds);
      // Nothing kept per request or per connection: round two leaves the heap where round one did.
      expect(idleAfter.heapUsedMiB - idleAfterFirst.heapUsedMiB).toBeLessThanOrEqual(HEAP_GROWTH_ROUND_TWO_MAX_MIB);
      // Sanity only: the figures are noisy on a shared machine, but a collapse is a finding.
      expect(load.requestsPerSecond).toBeGreaterThan(0);
      expect(floorLoad.failures).toBe(0);
    },
    timeoutFor(suiteSize.loadSeconds + FLOOR_SECONDS, 2_000, 25_000 + 2 * SETTLE_MS),
  );
});

function printSummary(load: LoadResult, floorLoad: LoadResult): void {
  console.info(
    `load: agent ${load.requestsPerSecond} requests/s (p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms), ` +
      `floor ${floorLoad.requestsPerSecond} requests/s (p50 ${floorLoad.p50Ms} ms), ratio ${(load.requestsPerSecond / floorLoad.requestsPerSecond).toFixed(2)}`,
  );
}
