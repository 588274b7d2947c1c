// Run by locked-keyring.test.ts inside a private gnome-keyring of its own
// (scripts/with-test-keyring.sh), bundled with esbuild: stores a value, locks the login
// keyring through the Secret Service, and prints as one JSON line what a read and a key
// listing then do. Without the lock check the read answered "nothing stored" and the
// listing crashed this process inside libsecret.
import { execFileSync } from 'node:child_process';
import { isLatchkeyError } from '../../../main/core/errors';
import { KeytarSecretStore } from '../../../main/store/keytar-secret-store';

type Outcome = { outcome: 'value'; value: unknown } | { outcome: 'error'; code: string; message: string };

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { outcome: 'value', value: (await run()) ?? null };
  } catch (error) {
    return { outcome: 'error', code: isLatchkeyError(error) ? error.code : 'not a LatchkeyError', message: error instanceof Error ? error.message : String(error) };
  }
}

function lockDefaultCollection(): void {
  execFileSync('dbus-send', [
    '--session',
    '--print-reply',
    '--dest=org.freedesktop.secrets',
    '/org/freedesktop/secrets',
    'org.freedesktop.Secret.Service.Lock',
    'array:objpath:/org/freedesktop/secrets/aliases/default',
  ]);
}

const service = `latchkey-test-locked-${process.pid}`;
const store = new KeytarSecretStore({ service });
const beforeLock = await outcomeOf(async () => {
  await store.set('tokens/corp', 'stored before the lock');
  return store.get('tokens/corp');
});
lockDefaultCollection();
// A second store, as a new agent would start: it has never seen the keyring open.
const fresh = new KeytarSecretStore({ service });
const read = await outcomeOf(() => fresh.get('tokens/corp'));
// The first store saw the keyring open; a read that finds nothing makes it look again.
const readByWarmStore = await outcomeOf(() => store.get('tokens/other'));
const listed = await outcomeOf(() => store.keys());
console.log(JSON.stringify({ beforeLock, read, readByWarmStore, listed }));
