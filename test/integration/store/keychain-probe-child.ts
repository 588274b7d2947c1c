// Run as a child process by keytar-secret-store.test.ts (bundled with esbuild): tries one
// keychain read in this process's environment and prints what happened as one JSON line.
import { isLatchkeyError } from '../../../main/core/errors';
import { keychainServiceName } from '../../../main/store/keychain-service-name';
import { KeytarSecretStore } from '../../../main/store/keytar-secret-store';

async function probe(): Promise<void> {
  const startedMs = Date.now();
  const store = new KeytarSecretStore({ service: keychainServiceName(process.env) });
  try {
    const value = await store.get('probe');
    console.log(JSON.stringify({ outcome: 'read', found: value !== undefined, elapsedMs: Date.now() - startedMs }));
  } catch (error) {
    const code = isLatchkeyError(error) ? error.code : 'not a LatchkeyError';
    const message = error instanceof Error ? error.message : String(error);
    console.log(JSON.stringify({ outcome: 'error', code, message, elapsedMs: Date.now() - startedMs }));
  }
}

await probe();
