import { fromProcess } from '@aws-sdk/credential-providers';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KernelKeyringStore } from '../../../main/store/kernel-keyring-store';
import { KeytarSecretStore } from '../../../main/store/keytar-secret-store';
import { startEmulator, type Emulator } from '../../emulator/emulator';
import { EmulatorAdmin } from '../../support/emulator-admin';
import { kernelKeyringSkipReason } from '../../support/kernel-keyring';
import { keyringSkipReason } from '../../support/test-keyring';
import { cliSuite } from './cli-suite';
import { cliProgram, runCli } from './run-cli';

/**
 * Issue 12's "done": sign in, serve the AWS SDK's credential_process, restart the agent,
 * serve again with no sign-in and no prompt, once with no D-Bus at all (the kernel
 * keyring) and once with gnome-keyring (scripts/with-test-keyring.sh); then a switch of
 * store in each direction keeps the sign-in. The agents are the ones the built CLI starts.
 */

const suite = cliSuite();
const kernelSkip = await kernelKeyringSkipReason();
const secretServiceSkip = await keyringSkipReason(`latchkey-test-${randomUUID()}`);
if (kernelSkip !== undefined) console.warn(`Skipping the kernel keyring restart tests: ${kernelSkip}`);
if (secretServiceSkip !== undefined) console.warn(`Skipping the Secret Service restart tests: ${secretServiceSkip}`);

interface World {
  dir: string;
  emulator: Emulator;
  service: string;
  env: Record<string, string>;
}

let world: World | undefined;
const savedEnv = { ...process.env };

afterEach(async () => {
  if (world === undefined) return;
  const { env, dir, emulator, service } = world;
  world = undefined;
  await runCli(suite.cli.entry, ['logout', '--session', 'corp'], env).catch(() => undefined);
  await stopAgent(env);
  for (const store of [new KernelKeyringStore({ service }), new KeytarSecretStore({ service })]) {
    const keys = await store.keys().catch(() => []);
    for (const key of keys) await store.delete(key);
  }
  process.env = { ...savedEnv };
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function setUp(bus: 'none' | 'test keyring'): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'lk-store-'));
  const emulator = await startEmulator({ port: 0, autoApprove: true, seed: 'store-restarts' });
  const service = `latchkey-test-${randomUUID()}`;
  const configFile = join(dir, 'config');
  await writeFile(
    configFile,
    [
      '[sso-session corp]',
      'sso_start_url = https://corp.example.com/start',
      'sso_region = us-east-1',
      '',
      '[profile dev]',
      `credential_process = ${cliProgram(suite.cli.entry).commandLine} credential-process --profile dev`,
      'latchkey_session = corp',
      'latchkey_account_id = 111111111111',
      'latchkey_role_name = Developer',
      '',
    ].join('\n'),
  );
  const env: Record<string, string> = {
    HOME: dir,
    AWS_CONFIG_FILE: configFile,
    AWS_ENDPOINT_URL_SSO_OIDC: emulator.baseUrl,
    AWS_ENDPOINT_URL_SSO: emulator.baseUrl,
    LATCHKEY_SOCKET: join(dir, 'a.sock'),
    LATCHKEY_KEYCHAIN_SERVICE: service,
    ...(bus === 'test keyring' ? { DBUS_SESSION_BUS_ADDRESS: process.env['DBUS_SESSION_BUS_ADDRESS'] ?? '' } : {}),
  };
  world = { dir, emulator, service, env };
  return world;
}

/** The SDK runs credential_process with this process's environment: exactly the world's, plus PATH. */
async function sdkCredentials(env: Record<string, string>): Promise<{ accessKeyId: string }> {
  process.env = { PATH: savedEnv['PATH'] ?? '', ...env };
  return fromProcess({ profile: 'dev', configFilepath: env['AWS_CONFIG_FILE'], filepath: join(env['HOME'] ?? '', 'no-credentials') })();
}

async function status(env: Record<string, string>): Promise<{ agentPid: number; store: unknown; sessions: { state: string }[] }> {
  const run = await runCli(suite.cli.entry, ['status', '--json'], env);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as { agentPid: number; store: unknown; sessions: { state: string }[] };
}

/** Stops the agent that serves `env` (status starts one when none runs, which is then stopped too). */
async function stopAgent(env: Record<string, string>): Promise<void> {
  const run = await runCli(suite.cli.entry, ['status', '--json'], env);
  if (run.code !== 0) return;
  const pid = (JSON.parse(run.stdout) as { agentPid: number }).agentPid;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 200 && alive(pid); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function signInAndServe(env: Record<string, string>): Promise<void> {
  const login = await runCli(suite.cli.entry, ['login', '--session', 'corp', '--device-code', '--no-browser'], env, 30_000);
  expect(login.code, login.stderr).toBe(0);
  expect((await sdkCredentials(env)).accessKeyId).toMatch(/^ASIA/);
}

async function restartAndServe(w: World, env: Record<string, string>): Promise<{ agentPid: number; store: unknown }> {
  const before = await status(w.env);
  await stopAgent(w.env);
  const signIns = (await new EmulatorAdmin(w.emulator.baseUrl).calls()).StartDeviceAuthorization;
  // The first command after the restart starts the new agent itself.
  expect((await sdkCredentials(env)).accessKeyId).toMatch(/^ASIA/);
  const after = await status(env);
  expect(after.agentPid).not.toBe(before.agentPid);
  expect(after.sessions.map((session) => session.state)).toEqual(['signed-in']);
  expect((await new EmulatorAdmin(w.emulator.baseUrl).calls()).StartDeviceAuthorization).toBe(signIns);
  return after;
}

describe('a sign-in across agent restarts', () => {
  it.skipIf(kernelSkip !== undefined)('with no D-Bus at all, keeps it in the kernel keyring and needs no sign-in after a restart', async () => {
    const w = await setUp('none');
    await signInAndServe(w.env);
    expect((await status(w.env)).store).toEqual({ name: 'kernel-keyring', reason: 'no Secret Service on this machine' });
    await restartAndServe(w, w.env);
    expect(await new KernelKeyringStore({ service: w.service }).keys()).toEqual(['registration:corp', 'role:corp:111111111111:Developer', 'token:corp']);
  }, 60_000);

  it.skipIf(secretServiceSkip !== undefined)('with gnome-keyring, keeps it in the Secret Service and needs no sign-in after a restart', async () => {
    const w = await setUp('test keyring');
    await signInAndServe(w.env);
    expect((await status(w.env)).store).toEqual({ name: 'secret-service', reason: 'a Secret Service answered and is unlocked' });
    await restartAndServe(w, w.env);
  }, 60_000);
});

describe.skipIf(kernelSkip !== undefined || secretServiceSkip !== undefined)('a sign-in when the store changes', () => {
  it('moves from the kernel keyring to a Secret Service that appeared, and leaves nothing behind', async () => {
    const w = await setUp('test keyring');
    const kernel = { ...w.env, LATCHKEY_STORE: 'kernel-keyring' };
    await signInAndServe(kernel);
    expect(await new KernelKeyringStore({ service: w.service }).keys()).toContain('token:corp');
    const after = await restartAndServe({ ...w, env: kernel }, w.env);
    expect(after.store).toEqual({ name: 'secret-service', reason: 'a Secret Service answered and is unlocked' });
    expect(await new KernelKeyringStore({ service: w.service }).keys()).toEqual([]);
    expect(await new KeytarSecretStore({ service: w.service }).keys()).toEqual(expect.arrayContaining(['registration:corp', 'token:corp']));
  }, 60_000);

  it('moves from the Secret Service to the kernel keyring chosen by name, and leaves nothing behind', async () => {
    const w = await setUp('test keyring');
    await signInAndServe(w.env);
    const kernel = { ...w.env, LATCHKEY_STORE: 'kernel-keyring' };
    const after = await restartAndServe(w, kernel);
    expect(after.store).toEqual({ name: 'kernel-keyring', reason: 'chosen by LATCHKEY_STORE=kernel-keyring' });
    expect(await new KeytarSecretStore({ service: w.service }).keys()).toEqual([]);
    expect(await new KernelKeyringStore({ service: w.service }).keys()).toEqual(expect.arrayContaining(['registration:corp', 'token:corp']));
  }, 60_000);
});
