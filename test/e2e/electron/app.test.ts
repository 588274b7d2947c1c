// The real desktop app under Playwright's Electron driver: launch, sign in with a device
// code against the emulator, approve through its admin API, reach the signed-in state.
// Runs wherever an Electron binary exists (`npm ci` with Electron's download allowed, then
// `npm run build`); here, where the binary cannot be downloaded, it is skipped with the reason.
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright';
import { afterEach, describe, expect, it } from 'vitest';
import type { BridgeEvent, LatchkeyBridge, SessionView } from '../../../main/core/bridge';
import { startEmulator, type Emulator } from '../../emulator/emulator';
import { EmulatorAdmin } from '../../support/emulator-admin';

function electronBinary(): { path?: string; skipReason?: string } {
  let path: unknown;
  try {
    // The `electron` package exports the binary's path, and throws when none was downloaded.
    path = createRequire(import.meta.url)('electron');
  } catch (error) {
    return { skipReason: `no Electron binary (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
  if (typeof path !== 'string' || !existsSync(path)) return { skipReason: `the Electron binary ${String(path)} does not exist` };
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { skipReason: `the Electron binary ${path} is not executable` };
  }
  if (!existsSync('dist/desktop/main.mjs')) return { skipReason: 'the app is not built: run `npm run build` first' };
  return { path };
}

const binary = electronBinary();
if (binary.skipReason !== undefined) console.warn(`Skipping the _electron tests: ${binary.skipReason}.`);

/** The page's globals as this test uses them (functions passed to evaluate run in the page). */
interface BridgeWindow {
  latchkey: LatchkeyBridge;
  __latchkeyEvents?: BridgeEvent[];
}

const SESSION = 'e2e';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function launch(): Promise<{ app: ElectronApplication; page: Page; emulator: Emulator }> {
  const emulator = await startEmulator({ port: 0 });
  cleanups.push(() => emulator.close());
  const home = await mkdtemp(join(tmpdir(), 'latchkey-electron-'));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  const configFile = join(home, 'aws-config');
  await writeFile(configFile, `[sso-session ${SESSION}]\nsso_start_url = https://e2e.awsapps.com/start\nsso_region = us-east-1\n`);
  const app = await _electron.launch({
    executablePath: binary.path,
    args: ['dist/desktop/main.mjs'],
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      AWS_CONFIG_FILE: configFile,
      AWS_ENDPOINT_URL_SSO_OIDC: emulator.baseUrl,
      AWS_ENDPOINT_URL_SSO: emulator.baseUrl,
      LATCHKEY_SOCKET: join(home, 'agent.sock'),
      LATCHKEY_KEYCHAIN_SERVICE: `Latchkey-e2e-${process.pid}`,
    },
  });
  cleanups.push(() => app.close());
  const page = await app.firstWindow();
  await page.waitForFunction(() => typeof (window as unknown as BridgeWindow).latchkey === 'object');
  return { app, page, emulator };
}

describe.skipIf(binary.skipReason !== undefined)('the desktop app (real Electron)', () => {
  it('signs in with a device code approved in the emulator and shows the session signed in', async () => {
    const { page, emulator } = await launch();
    await page.evaluate(() => {
      (window as unknown as BridgeWindow).__latchkeyEvents = [];
      (window as unknown as BridgeWindow).latchkey.onEvent((event) => (window as unknown as BridgeWindow).__latchkeyEvents?.push(event));
    });
    const before = await page.evaluate((session) => (window as unknown as BridgeWindow).latchkey.listSessions().then((all) => all.find((s) => s.name === session)), SESSION);
    expect(before?.state).toBe('signed-out');

    await page.evaluate((session) => (window as unknown as BridgeWindow).latchkey.startSignIn(session, 'device-code'), SESSION);
    const userCode = await page.waitForFunction(() => {
      for (const event of (window as unknown as BridgeWindow).__latchkeyEvents ?? []) {
        if (event.type === 'session-event' && event.event.type === 'sign-in-progress' && event.event.progress.type === 'code-issued') return event.event.progress.userCode;
      }
      return undefined;
    });
    const code = (await userCode.jsonValue()) as string;
    // The prompt shows the code before anything else happens (UX.md).
    await page.getByText(code).first().waitFor({ state: 'visible' });
    await new EmulatorAdmin(emulator.baseUrl).call('POST', 'approve', { userCode: code });

    await page.waitForFunction(
      (session) => (window as unknown as BridgeWindow).latchkey.listSessions().then((all) => all.some((s) => s.name === session && s.state === 'signed-in')),
      SESSION,
      { timeout: 15_000 },
    );
    const after: SessionView | undefined = await page.evaluate((session) => (window as unknown as BridgeWindow).latchkey.listSessions().then((all) => all.find((s) => s.name === session)), SESSION);
    expect(after?.accessTokenExpiresAtMs).toBeGreaterThan(Date.now());
    await page.evaluate((session) => (window as unknown as BridgeWindow).latchkey.signOut(session), SESSION);
  }, 60_000);

  it('refuses to open a URL outside the sign-in hosts (no verification page without a prompt)', async () => {
    const { page } = await launch();
    const error = await page.evaluate((session) => (window as unknown as BridgeWindow).latchkey.openVerificationPage(session).then(() => '', (e: Error) => e.message), SESSION);
    expect(error).toContain('"code":"usage_error"');
  }, 60_000);
});
