import type { Clock } from './clock';
import { runDeviceFlow } from './device-flow';
import type { IdentityCenterApis, OidcApi } from './identity-center-api';
import type { StartFlowLaunch } from './launch-links';
import { runPkceFlow, type StartLoopbackRedirect } from './pkce-flow';
import type { SignInFlowRunner } from './session-tokens';

/** The two interactive flows, bound to a session's region and registration. */
export interface PkceRunnerOptions {
  oidc: (region: string) => OidcApi;
  clock: Clock;
  oidcEndpoint: (region: string) => string;
  startLoopback: StartLoopbackRedirect;
  openBrowser: (url: string) => Promise<void>;
}

export function deviceCodeRunner(apis: IdentityCenterApis, clock: Clock, startLaunch?: StartFlowLaunch): SignInFlowRunner {
  return ({ session, registration, signal, onProgress, retryNow }) =>
    runDeviceFlow({
      oidc: apis.oidc(session.region),
      clock,
      clientId: registration.clientId,
      clientSecret: registration.clientSecret,
      startUrl: session.startUrl,
      signal,
      onEvent: onProgress,
      retryNow,
      startLaunch,
    });
}

export function pkceRunner(options: PkceRunnerOptions): SignInFlowRunner {
  return ({ session, registration, signal, onProgress }) =>
    runPkceFlow({
      oidc: options.oidc(session.region),
      clock: options.clock,
      clientId: registration.clientId,
      clientSecret: registration.clientSecret,
      oidcEndpoint: options.oidcEndpoint(session.region),
      scopes: session.registrationScopes,
      startLoopback: options.startLoopback,
      openBrowser: options.openBrowser,
      signal,
      onEvent: onProgress,
    });
}
