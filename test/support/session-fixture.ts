import { ClientRegistrar } from '../../main/core/client-registrar';
import { Emitter } from '../../main/core/emitter';
import type { IdentityCenterApis, OidcApi, PortalApi } from '../../main/core/identity-center-api';
import { silentLogger } from '../../main/core/logger';
import type { SessionEvent } from '../../main/core/session-events';
import { SessionTokens } from '../../main/core/session-tokens';
import { deviceCodeRunner } from '../../main/core/sign-in-flow-runners';
import type { SignInPeer } from '../../main/core/sign-in-peer';
import type { SsoSessionSettings } from '../../main/core/sso-session-settings';
import type { Clock } from '../../main/core/clock';
import { MemorySessionVault } from './memory-session-vault';

export const corpSession: SsoSessionSettings = {
  name: 'corp',
  startUrl: 'https://corp.awsapps.com/start',
  region: 'us-east-1',
  registrationScopes: ['sso:account:access'],
};

/** SessionTokens without the engine's background work, with the device flow as both flows. */
export function sessionFixture(clock: Clock, oidc: OidcApi, portal: PortalApi, peer?: SignInPeer) {
  return sessionTokensOver(clock, { oidc: () => oidc, portal: () => portal }, peer);
}

export function sessionTokensOver(clock: Clock, apis: IdentityCenterApis, peer?: SignInPeer) {
  const vault = new MemorySessionVault();
  const events = new Emitter<SessionEvent>();
  const seen: SessionEvent[] = [];
  events.on((event) => seen.push(event));
  const registrar = new ClientRegistrar({ vault, apis, clock, clientName: 'Latchkey on test' });
  const deviceFlow = deviceCodeRunner(apis, clock);
  const tokens = new SessionTokens({
    vault,
    apis,
    clock,
    registrar,
    flows: { 'device-code': deviceFlow, pkce: deviceFlow },
    events,
    logger: silentLogger,
    peer,
  });
  return { vault, apis, events, seen, registrar, tokens };
}
