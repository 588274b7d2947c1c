import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, type AgentOptions, type RunningAgent } from '../../../main/agent/agent';
import { InMemorySecretStore } from '../../../main/core/in-memory-secret-store';
import { silentLogger } from '../../../main/core/logger';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/emulator';
import { EmulatorAdmin } from '../../support/emulator-admin';

export const AWS_CONFIG = `[sso-session corp]
sso_start_url = https://corp.example.com/start
sso_region = us-east-1

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer

[profile broken]
sso_session = nope
sso_account_id = 111111111111
sso_role_name = Developer
`;

export interface AgentResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** A short directory: Unix socket paths are limited to about 100 bytes. */
export async function shortTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lk-'));
}

/** One request over the Unix socket, as the CLI makes it. */
export function agentRequest(
  socketPath: string,
  method: string,
  path: string,
  options: { body?: string | object; headers?: Record<string, string> } = {},
): Promise<AgentResponse> {
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        method,
        path,
        agent: false,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface HarnessEnv extends Record<string, string> {
  AWS_CONFIG_FILE: string;
  AWS_ENDPOINT_URL_SSO_OIDC: string;
  AWS_ENDPOINT_URL_SSO: string;
  AWS_ENDPOINT_URL_SIGNIN: string;
}

export interface HarnessOptions {
  emulator?: Omit<EmulatorOptions, 'port'>;
  agent?: Partial<AgentOptions>;
  config?: string;
}

/**
 * The emulator, a temporary AWS config and socket directory, and a real agent with an
 * in-memory keychain pointed at them. The fake browser follows the authorize URL, so
 * with `autoApprove` a PKCE sign-in completes at once. `close()` stops all of it.
 */
export class AgentHarness {
  private constructor(
    readonly emulator: Emulator,
    readonly dir: string,
    readonly env: HarnessEnv,
    readonly agent: RunningAgent,
    /** Every URL the agent asked the browser to open. */
    readonly openedUrls: string[],
  ) {}

  static async start(options: HarnessOptions = {}): Promise<AgentHarness> {
    const emulator = await startEmulator({ port: 0, autoApprove: true, seed: 'agent-tests', ...options.emulator });
    const dir = await shortTempDir();
    const configPath = join(dir, 'config');
    await writeFile(configPath, options.config ?? AWS_CONFIG);
    const env: HarnessEnv = {
      AWS_CONFIG_FILE: configPath,
      AWS_ENDPOINT_URL_SSO_OIDC: emulator.baseUrl,
      AWS_ENDPOINT_URL_SSO: emulator.baseUrl,
      AWS_ENDPOINT_URL_SIGNIN: emulator.baseUrl,
    };
    const opened: string[] = [];
    const agent = await startAgent({
      env,
      platform: process.platform,
      homeDir: dir,
      socketPath: join(dir, 'a.sock'),
      secretStore: new InMemorySecretStore(),
      logger: silentLogger,
      openBrowser: async (url) => {
        opened.push(url);
        // Stands in for the browser: the emulator redirects to the loopback listener.
        if (url.includes('/authorize?')) await fetch(url).then((response) => response.text());
      },
      ...options.agent,
    }).catch(async (error: unknown) => {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
      throw error;
    });
    return new AgentHarness(emulator, dir, env, agent, opened);
  }

  get socketPath(): string {
    return this.agent.socketPath;
  }

  request(method: string, path: string, options: { body?: string | object; headers?: Record<string, string> } = {}): Promise<AgentResponse> {
    return agentRequest(this.socketPath, method, path, options);
  }

  /** PKCE through the routes; the emulator approves and the fake browser delivers the code. */
  async signIn(session = 'corp'): Promise<AgentResponse> {
    const started = await this.request('POST', `/v1/sessions/${session}/sign-in`, { body: { flow: 'pkce' } });
    if (started.status !== 202) throw new Error(`sign-in answered ${started.status}: ${started.text}`);
    return this.request('POST', `/v1/sessions/${session}/sign-in/wait?timeoutSeconds=10`);
  }

  emulatorAdmin(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    return new EmulatorAdmin(this.emulator.baseUrl).call(method, path, body);
  }

  async calls(): Promise<Record<string, number>> {
    return new EmulatorAdmin(this.emulator.baseUrl).calls();
  }

  async close(): Promise<void> {
    await this.agent.close();
    await this.emulator.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
