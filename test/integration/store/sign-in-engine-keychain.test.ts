import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SignInEngine } from '../../../main/core/sign-in-engine';
import type { SsoSessionSettings } from '../../../main/core/sso-session-settings';
import { loadKeytarModule } from '../../../main/store/keytar-api';
import { KeytarSecretStore } from '../../../main/store/keytar-secret-store';
import { startEmulator, type Emulator } from '../../emulator/emulator';
import { EmulatorAdmin } from '../../support/emulator-admin';
import { engineOnEmulator } from '../../support/engine-on-emulator';
import { keyringSkipReason } from '../../support/test-keyring';

const service = `latchkey-test-${randomUUID()}`;
const skipReason = await keyringSkipReason(service);
if (skipReason !== undefined) console.warn(`Skipping the sign-in engine keychain tests: ${skipReason}`);

const session: SsoSessionSettings = {
  name: 'corp',
  startUrl: 'https://d-1234567890.awsapps.com/start',
  region: 'us-east-1',
  registrationScopes: ['sso:account:access'],
};

const open: { dispose(): unknown }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.dispose();
});
afterAll(async () => {
  if (skipReason !== undefined) return;
  const keytar = await loadKeytarModule();
  for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
});

function engineOver(emulator: Emulator): SignInEngine {
  const { engine, dispose } = engineOnEmulator(emulator.baseUrl, { store: new KeytarSecretStore({ service }) });
  open.push({ dispose });
  return engine;
}

describe.skipIf(skipReason !== undefined)('SignInEngine on a real gnome-keyring', () => {
  it('keeps tokens and credentials across a restart, so the restart costs no call', async () => {
    const emulator = await startEmulator({ port: 0, autoApprove: true, intervalSeconds: 1 });
    open.push({ dispose: () => emulator.close() });
    const admin = new EmulatorAdmin(emulator.baseUrl);

    const first = engineOver(emulator);
    const tokens = await first.signIn(session, 'device-code');
    const credentials = await first.credentialsFor(session, '111111111111', 'Developer');
    await first.dispose();
    await admin.call('POST', 'reset', {});

    const restarted = engineOver(emulator);
    await expect(restarted.accessToken(session)).resolves.toBe(tokens.accessToken);
    const again = await restarted.credentialsFor(session, '111111111111', 'Developer');
    expect(again.accessKeyId).toBe(credentials.accessKeyId);
    expect(await admin.calls()).toMatchObject({ RegisterClient: 0, CreateToken: 0, GetRoleCredentials: 0 });

    await restarted.signOut(session);
    const keytar = await loadKeytarModule();
    expect(await keytar.findCredentials(service)).toEqual([]);
    expect((await admin.calls()).Logout).toBe(1);
  });
});
