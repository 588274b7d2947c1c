import type { SecretStore } from '../core/secret-store';
import { chooseStore, type SecretServiceState, type StoreChoice } from '../core/store-choice';
import { KernelKeyringStore } from './kernel-keyring-store';
import { keychainServiceName } from './keychain-service-name';
import { KeytarSecretStore } from './keytar-secret-store';
import { dbusSendLockProbe, type KeyringLockProbe } from './secret-service-lock';

export interface ChosenSecretStore {
  store: SecretStore;
  choice: StoreChoice;
  /**
   * The other store, when it can be read here, so that records left there (by a Latchkey
   * that chose differently) can be moved over: the Secret Service only when it answered
   * unlocked, the kernel keyring on any Linux (its calls fail cleanly where it is missing).
   */
  other?: { name: StoreChoice['name']; store: SecretStore };
}

export interface ChosenSecretStoreOptions {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Tests pass a fake; the default asks the Secret Service over D-Bus. */
  lockProbe?: KeyringLockProbe;
}

/** The store LATCHKEY_STORE picks (store-choice.ts), built under LATCHKEY_KEYCHAIN_SERVICE. */
export async function openChosenSecretStore(options: ChosenSecretStoreOptions): Promise<ChosenSecretStore> {
  const { env, platform } = options;
  const service = keychainServiceName(env);
  const probe = options.lockProbe ?? dbusSendLockProbe(env);
  let state: SecretServiceState | undefined;
  const secretService = async (): Promise<SecretServiceState> => {
    const answer = await probe();
    state = answer === 'unknown' ? 'absent' : answer;
    return state;
  };
  const choice = await chooseStore({ requested: env.LATCHKEY_STORE, platform, secretService });
  const keytar = (): SecretStore => new KeytarSecretStore({ service, platform, ...(options.lockProbe ? { lockProbe: options.lockProbe } : {}) });
  if (platform !== 'linux') return { store: keytar(), choice };
  const kernel = (): SecretStore => new KernelKeyringStore({ service });
  if (choice.name === 'secret-service') return { store: keytar(), choice, other: { name: 'kernel-keyring', store: kernel() } };
  // Chosen by name, the Secret Service was not asked yet; asking costs one dbus-send.
  if ((state ?? (await secretService())) !== 'unlocked') return { store: kernel(), choice };
  return { store: kernel(), choice, other: { name: 'secret-service', store: keytar() } };
}
