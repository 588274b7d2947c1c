import { KeytarSecretStore } from '../../main/store/keytar-secret-store';

/**
 * Why the real-keychain tests cannot run here, or undefined when they can. Under
 * scripts/with-test-keyring.sh (LATCHKEY_TEST_KEYRING=1) and in CI
 * (LATCHKEY_REQUIRE_KEYRING=1) they always run, so a broken keyring fails the run
 * instead of hiding behind a skip.
 */
export async function keyringSkipReason(service: string): Promise<string | undefined> {
  if (process.env.LATCHKEY_TEST_KEYRING === '1' || process.env.LATCHKEY_REQUIRE_KEYRING === '1') return undefined;
  if (process.platform !== 'linux') return 'they drive gnome-keyring, which is Linux only';
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) return 'there is no D-Bus session: run them under scripts/with-test-keyring.sh';
  const probe = new KeytarSecretStore({ service: `${service}-probe`, callTimeoutMs: 3_000 });
  try {
    await probe.set('probe', 'x');
    await probe.delete('probe');
    return undefined;
  } catch (error) {
    return `the keyring does not work (${error instanceof Error ? error.message : String(error)})`;
  }
}
