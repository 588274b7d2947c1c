import { HttpIdentityCenterApis } from '../../main/aws/http-identity-center-apis';
import { startLoopbackRedirectListener } from '../../main/aws/loopback-redirect-listener';
import { systemClock } from '../../main/core/clock';
import { InMemorySecretStore } from '../../main/core/in-memory-secret-store';
import { LaunchLinkRegistry } from '../../main/core/launch-link-registry';
import { silentLogger } from '../../main/core/logger';
import { SecretRecordsVault } from '../../main/core/secret-records-vault';
import type { SecretStore } from '../../main/core/secret-store';
import { SignInEngine } from '../../main/core/sign-in-engine';
import { startLaunchLinkServer } from '../../main/net/launch-link-server';

export interface EngineOnEmulator {
  engine: SignInEngine;
  apis: HttpIdentityCenterApis;
  /** The sign-ins' launch links, as the agent's browser guard finds them. */
  launchLinks: LaunchLinkRegistry;
  /** Stops the engine, releases the loopback ports, then closes the clients' connections. */
  dispose(): Promise<void>;
}

/**
 * A real SignInEngine with the real clients pointed at an emulator, as the agent wires
 * it, over an in-memory keychain unless a store is given.
 */
export function engineOnEmulator(
  baseUrl: string,
  options: { store?: SecretStore; openBrowser?: (url: string) => Promise<void> } = {},
): EngineOnEmulator {
  const apis = new HttpIdentityCenterApis({ env: { AWS_ENDPOINT_URL_SSO_OIDC: baseUrl, AWS_ENDPOINT_URL_SSO: baseUrl }, clock: systemClock });
  const launchLinks = new LaunchLinkRegistry();
  const engine = new SignInEngine({
    vault: new SecretRecordsVault({ store: options.store ?? new InMemorySecretStore() }),
    apis,
    clock: systemClock,
    logger: silentLogger,
    clientName: 'Latchkey on test-host',
    oidcEndpoint: (region) => apis.oidcEndpoint(region),
    startLoopback: (loopback) => startLoopbackRedirectListener({ ...loopback, registry: launchLinks }),
    startLaunch: (launch) => startLaunchLinkServer({ ...launch, registry: launchLinks }),
    openBrowser: options.openBrowser ?? (async () => undefined),
  });
  return {
    engine,
    apis,
    launchLinks,
    async dispose() {
      await engine.dispose();
      await launchLinks.dispose();
      apis.dispose();
    },
  };
}
