import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator/emulator';
import { EmulatorAdmin, type CallCounts } from '../support/emulator-admin';
import { agentRequest, type AgentResponse } from '../integration/agent/agent-harness';
import { buildCli, type BuiltCli } from '../integration/cli/build-cli';
import { AnswerHolder } from './durability-answer-holder';
import { KeytarSecretStore } from '../../main/store/keytar-secret-store';

/**
 * One durability world: the CLI bundle built from this repository, the emulator, a
 * temporary HOME with an AWS config, a unique keychain service in the real gnome-keyring
 * that scripts/with-test-keyring.sh provides, and a real `latchkey agent` child process
 * that the scenarios start and SIGKILL. `close()` stops all of it and deletes every
 * keychain record of the service.
 */

export const SESSION = 'corp';
export const ACCOUNT_ID = '111111111111';
export const ROLE_NAME = 'Developer';

/** The user's own lines around Latchkey's: they must come through every kill byte for byte. */
export const USER_PREAMBLE = `# my own settings, hand-written: Latchkey must never touch these
[default]
region = eu-west-1
output = json

[sso-session ${SESSION}]
sso_start_url = https://corp.example.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`;

export const USER_TRAILER = `
[profile mine]
region = ap-southeast-2 ; trailing comment kept as written
`;

export interface WorldOptions {
  emulator?: Omit<EmulatorOptions, 'port'>;
  /** `latchkey_sync_aws_cache = true` on the session. */
  syncAwsCache?: boolean;
  /** OIDC calls go through an AnswerHolder, so a test can hold one answer back. */
  holdAnswers?: boolean;
}

export interface RoleTarget {
  accountId: string;
  roleName: string;
}

export interface AgentProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

let built: Promise<BuiltCli> | undefined;

/** One build per test file (vitest runs each file in its own worker). */
export function builtCli(): Promise<BuiltCli> {
  built ??= buildCli();
  return built;
}

export class DurabilityWorld {
  readonly admin: EmulatorAdmin;
  readonly store: KeytarSecretStore;
  private readonly agents = new Set<AgentProcess>();

  private constructor(
    readonly cli: BuiltCli,
    readonly emulator: Emulator,
    readonly dir: string,
    readonly service: string,
    readonly env: Record<string, string>,
    readonly syncAwsCache: boolean,
    readonly holder: AnswerHolder | undefined,
  ) {
    this.admin = new EmulatorAdmin(emulator.baseUrl);
    this.store = new KeytarSecretStore({ service });
  }

  static async create(options: WorldOptions = {}): Promise<DurabilityWorld> {
    const cli = await builtCli();
    const emulator = await startEmulator({ port: 0, autoApprove: true, intervalSeconds: 1, ...options.emulator });
    // Short: a Unix socket path must fit in about 100 bytes.
    const dir = await mkdtemp(join(tmpdir(), 'lk-dur-'));
    const service = `latchkey-test-${randomUUID()}`;
    const holder = options.holdAnswers === true ? await AnswerHolder.start(emulator.baseUrl) : undefined;
    const configFile = join(dir, 'config');
    const sync = options.syncAwsCache === true ? 'latchkey_sync_aws_cache = true\n' : '';
    await writeFile(configFile, `${USER_PREAMBLE}${sync}${USER_TRAILER}`, { mode: 0o600 });
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: dir,
      AWS_CONFIG_FILE: configFile,
      AWS_ENDPOINT_URL_SSO_OIDC: holder?.baseUrl ?? emulator.baseUrl,
      AWS_ENDPOINT_URL_SSO: emulator.baseUrl,
      AWS_ENDPOINT_URL_SIGNIN: emulator.baseUrl,
      LATCHKEY_SOCKET: join(dir, 'a.sock'),
      LATCHKEY_KEYCHAIN_SERVICE: service,
      LATCHKEY_STORE: 'secret-service',
      DBUS_SESSION_BUS_ADDRESS: process.env['DBUS_SESSION_BUS_ADDRESS'] ?? '',
    };
    return new DurabilityWorld(cli, emulator, dir, service, env, options.syncAwsCache === true, holder);
  }

  get configFile(): string {
    return this.env['AWS_CONFIG_FILE'] ?? '';
  }

  get socketPath(): string {
    return this.env['LATCHKEY_SOCKET'] ?? '';
  }

  /** Spawns `latchkey agent`; resolves once it says it is ready, rejects with its stderr if it exits first. */
  async startAgent(): Promise<AgentProcess> {
    const agent = this.spawnAgent();
    await ready(agent);
    return agent;
  }

  /** Spawns `latchkey agent` without waiting (the races start several at once). */
  spawnAgent(): AgentProcess {
    const child = spawn(process.execPath, [this.cli.entry, 'agent'], { env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const agent: AgentProcess = { child, exited, stderr: () => stderr };
    this.agents.add(agent);
    void exited.then(() => this.agents.delete(agent));
    return agent;
  }

  /** Runs a CLI command to completion (or until `signal` asks to SIGKILL it). */
  runCli(args: readonly string[], signal?: AbortSignal): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [this.cli.entry, ...args], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      signal?.addEventListener('abort', () => child.kill('SIGKILL'), { once: true });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  request(method: string, path: string, body?: object): Promise<AgentResponse> {
    return agentRequest(this.socketPath, method, path, body === undefined ? {} : { body });
  }

  calls(): Promise<CallCounts> {
    return this.admin.calls();
  }

  /** A device-code sign-in through the agent's API, approved at once by the emulator. */
  async signIn(): Promise<void> {
    const started = await this.request('POST', `/v1/sessions/${SESSION}/sign-in`, { flow: 'device-code', openBrowser: false });
    if (started.status !== 202) throw new Error(`sign-in answered ${started.status}: ${started.text}`);
    const done = await this.request('POST', `/v1/sessions/${SESSION}/sign-in/wait?timeoutSeconds=20`);
    if (done.status !== 200) throw new Error(`sign-in wait answered ${done.status}: ${done.text}`);
  }

  credentials(role: RoleTarget = { accountId: ACCOUNT_ID, roleName: ROLE_NAME }): Promise<AgentResponse> {
    return this.request('GET', `/v1/credentials?session=${SESSION}&accountId=${role.accountId}&roleName=${role.roleName}`);
  }

  /**
   * Gives the emulator's directory `count` roles beyond the default one, spread over
   * accounts of at most 50 roles, so that each kill round can cache credentials no agent
   * has in memory yet.
   */
  async addRoles(count: number): Promise<RoleTarget[]> {
    const roles: RoleTarget[] = [];
    const accounts: { accountId: string; accountName: string; emailAddress: string; roles: string[] }[] = [
      { accountId: ACCOUNT_ID, accountName: 'Development', emailAddress: 'development@example.com', roles: [ROLE_NAME] },
    ];
    for (let index = 0; index < count; index += 1) {
      const accountId = String(300_000_000_000 + Math.floor(index / 50));
      let account = accounts.find((a) => a.accountId === accountId);
      if (account === undefined) {
        account = { accountId, accountName: `Kill rounds ${accountId}`, emailAddress: `${accountId}@example.com`, roles: [] };
        accounts.push(account);
      }
      const roleName = `Round${index}`;
      account.roles.push(roleName);
      roles.push({ accountId, roleName });
    }
    await this.admin.call('POST', 'directory', { accounts });
    return roles;
  }

  async sessionState(): Promise<string> {
    const status = await this.request('GET', '/v1/status');
    const sessions = (status.json as { sessions?: { name: string; state: string }[] }).sessions ?? [];
    return sessions.find((session) => session.name === SESSION)?.state ?? 'missing';
  }

  /** How long `operation` takes, the longest of `runs` runs: the window a random kill is drawn from. */
  async measureMs(operation: () => Promise<unknown>, runs = 3): Promise<number> {
    let longestMs = 0;
    for (let run = 0; run < runs; run += 1) {
      const startedMs = performance.now();
      await operation();
      longestMs = Math.max(longestMs, performance.now() - startedMs);
    }
    return Math.ceil(longestMs);
  }

  /** The longest credential fetch-and-cache of `roles`, each asked once. */
  async measureRolesMs(roles: readonly RoleTarget[]): Promise<number> {
    let longestMs = 0;
    for (const role of roles) longestMs = Math.max(longestMs, await this.measureMs(() => this.credentials(role), 1));
    return longestMs;
  }

  async close(): Promise<void> {
    for (const agent of [...this.agents]) {
      agent.child.kill('SIGKILL');
      await agent.exited;
    }
    for (const key of await this.store.keys().catch(() => [])) await this.store.delete(key).catch(() => undefined);
    await this.holder?.close();
    await this.emulator.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

export async function ready(agent: AgentProcess): Promise<void> {
  while (!agent.stderr().includes('Latchkey agent ready')) {
    if (agent.child.exitCode !== null || agent.child.signalCode !== null) throw new Error(`the agent exited before it was ready: ${agent.stderr()}`);
    await sleep(10);
  }
}

/** SIGKILL, then wait until the process is gone. */
export async function kill(agent: AgentProcess): Promise<void> {
  agent.child.kill('SIGKILL');
  await agent.exited;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A whole number of milliseconds in [0, maxMs]. */
export function randomDelayMs(maxMs: number): number {
  return Math.floor(Math.random() * (Math.max(0, maxMs) + 1));
}

/** Removes the bundle built for this file; call once in afterAll. */
export async function removeBuiltCli(): Promise<void> {
  if (built === undefined) return;
  const cli = await built.catch(() => undefined);
  built = undefined;
  if (cli !== undefined) await rm(cli.dir, { recursive: true, force: true });
}
