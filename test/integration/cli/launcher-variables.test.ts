import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/emulator';
import { keyringSkipReason } from '../../support/test-keyring';
import { shortTempDir } from '../agent/agent-harness';
import { buildCli, type BuiltCli } from './build-cli';
import { runCli } from './run-cli';

// docs/security.md, "The launcher's environment": the installed app's launcher sets
// ELECTRON_RUN_AS_NODE and LATCHKEY_LAUNCHER for the CLI it starts. Neither may reach
// the browser the agent opens or the command `latchkey exec` runs. The real CLI and agent
// run here, with both variables set as the launcher sets them.

const service = `latchkey-test-launcher-${randomBytes(4).toString('hex')}`;
const skipReason = await keyringSkipReason(service);
if (skipReason !== undefined) console.warn(`Launcher variable tests skipped: ${skipReason}.`);

let cli: BuiltCli;
let emulator: Emulator;
let dir: string;
let agent: ChildProcess | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  if (skipReason !== undefined) return;
  cli = await buildCli();
  emulator = await startEmulator({ autoApprove: true });
  dir = await shortTempDir();
  const bin = join(dir, 'bin');
  await mkdir(bin);
  // The agent opens the browser with xdg-open on Linux: this one records what it was given.
  await writeFile(join(bin, 'xdg-open'), '#!/bin/sh\nenv > "$LK_TEST_DIR/browser-env"\n');
  await chmod(join(bin, 'xdg-open'), 0o755);
  await writeFile(
    join(dir, 'config'),
    '[sso-session corp]\nsso_start_url = https://corp.example.com/start\nsso_region = us-east-1\n\n' +
      '[profile dev]\nlatchkey_session = corp\nlatchkey_account_id = 111111111111\nlatchkey_role_name = Developer\n',
  );
  env = {
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_ENDPOINT_URL_SSO_OIDC: emulator.baseUrl,
    AWS_ENDPOINT_URL_SSO: emulator.baseUrl,
    LATCHKEY_SOCKET: join(dir, 'a.sock'),
    LATCHKEY_KEYCHAIN_SERVICE: service,
    DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? '',
    // A display, so that `login` asks for the browser.
    DISPLAY: ':99',
    LK_TEST_DIR: dir,
    NO_COLOR: '1',
    // As build/bin/latchkey sets them.
    ELECTRON_RUN_AS_NODE: '1',
    LATCHKEY_LAUNCHER: process.execPath,
  };
  agent = spawn(process.execPath, [cli.entry, 'agent'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  agent.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  for (let i = 0; !stderr.includes('Agent listening'); i += 1) {
    if (agent.exitCode !== null || i > 200) throw new Error(`the agent did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
});

afterAll(async () => {
  if (agent !== undefined && agent.exitCode === null) {
    const exited = new Promise((resolve) => agent?.once('exit', resolve));
    agent.kill('SIGTERM');
    await exited;
  }
  await emulator?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  if (cli !== undefined) await rm(cli.dir, { recursive: true, force: true });
});

async function environmentIn(file: string): Promise<Map<string, string>> {
  for (let i = 0; i < 200; i += 1) {
    const text = await readFile(join(dir, file), 'utf8').catch(() => '');
    if (text !== '') return new Map(text.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${file} was never written`);
}

describe.skipIf(skipReason !== undefined)("the app launcher's variables", () => {
  it('do not reach the browser the agent opens for a sign-in', async () => {
    const run = await runCli(cli.entry, ['login', '--session', 'corp', '--device-code'], env);
    expect(run.stderr).toMatch(/signed in/i);
    expect(run.code).toBe(0);
    const browserEnv = await environmentIn('browser-env');
    expect(browserEnv.get('LK_TEST_DIR')).toBe(dir);
    expect(browserEnv.has('ELECTRON_RUN_AS_NODE')).toBe(false);
    expect(browserEnv.has('LATCHKEY_LAUNCHER')).toBe(false);
  });

  it('do not reach the command latchkey exec runs', async () => {
    const run = await runCli(cli.entry, ['exec', '--profile', 'dev', '--', 'sh', '-c', 'env > "$LK_TEST_DIR/exec-env"'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const childEnv = await environmentIn('exec-env');
    expect(childEnv.has('AWS_CONTAINER_CREDENTIALS_FULL_URI')).toBe(true);
    expect(childEnv.has('ELECTRON_RUN_AS_NODE')).toBe(false);
    expect(childEnv.has('LATCHKEY_LAUNCHER')).toBe(false);
  });
});
