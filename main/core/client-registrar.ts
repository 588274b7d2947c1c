import type { Clock } from './clock';
import { DEVICE_CODE_GRANT, type IdentityCenterApis } from './identity-center-api';
import type { SessionVault, StoredRegistration } from './session-vault';
import type { SsoSessionSettings } from './sso-session-settings';
import { SingleFlight } from './single-flight';
import { REGISTRATION_RENEW_BEFORE_EXPIRY_MS } from './time-windows';

export type SignInFlow = 'device-code' | 'pkce';

/** The client name AWS shows on its approval page, which the prompt repeats (UX.md). */
export function latchkeyClientName(hostname: string): string {
  return `Latchkey on ${hostname}`;
}

/** Registered with the port left out: AWS matches loopback redirects on any port (RFC 8252 section 7.3). */
export const PKCE_REDIRECT_URI = 'http://127.0.0.1/oauth/callback';

const REFRESH_GRANT = 'refresh_token';

/** refresh_token always: without it AWS issues no refresh token and the user signs in again every 8 hours. */
const GRANTS_BY_FLOW: Record<SignInFlow, string[]> = {
  'device-code': [DEVICE_CODE_GRANT, REFRESH_GRANT],
  pkce: ['authorization_code', REFRESH_GRANT],
};

export interface ClientRegistrarOptions {
  vault: SessionVault;
  apis: IdentityCenterApis;
  clock: Clock;
  /** Shown on the AWS approval page, so it names this app and machine ("Latchkey on host"). */
  clientName: string;
}

/**
 * Keeps one OIDC client registration per session in the keychain and registers again
 * only when it must: near expiry, when the server rejects it, or when it lacks the
 * grant the flow needs.
 */
export class ClientRegistrar {
  private readonly registering = new SingleFlight<string, StoredRegistration>();

  constructor(private readonly options: ClientRegistrarOptions) {}

  registrationFor(session: SsoSessionSettings, flow: SignInFlow): Promise<StoredRegistration> {
    return this.registering.run(`${flow}\u0000${session.name}`, async () => {
      const stored = await this.options.vault.registration(session.name);
      if (stored && this.fits(stored, session, flow)) return stored;
      return this.register(session, flow);
    });
  }

  /** After invalid_client or unauthorized_client: the next flow registers afresh. */
  async forget(session: SsoSessionSettings): Promise<void> {
    await this.options.vault.deleteRegistration(session.name);
  }

  private fits(stored: StoredRegistration, session: SsoSessionSettings, flow: SignInFlow): boolean {
    const stillValid = stored.expiresAtMs - REGISTRATION_RENEW_BEFORE_EXPIRY_MS > this.options.clock.nowMs();
    const sameTarget = stored.region === session.region && stored.startUrl === session.startUrl;
    const sameScopes = sameSet(stored.scopes, session.registrationScopes);
    const hasGrants = GRANTS_BY_FLOW[flow].every((grant) => stored.grantTypes.includes(grant));
    const hasRedirect = flow !== 'pkce' || (stored.redirectUris ?? []).includes(PKCE_REDIRECT_URI);
    return stillValid && sameTarget && sameScopes && hasGrants && hasRedirect;
  }

  private async register(session: SsoSessionSettings, flow: SignInFlow): Promise<StoredRegistration> {
    const grantTypes = GRANTS_BY_FLOW[flow];
    const redirectUris = flow === 'pkce' ? [PKCE_REDIRECT_URI] : undefined;
    const response = await this.options.apis.oidc(session.region).registerClient({
      clientName: this.options.clientName,
      clientType: 'public',
      scopes: session.registrationScopes,
      grantTypes,
      ...(redirectUris ? { redirectUris } : {}),
    });
    const registration: StoredRegistration = {
      clientId: response.clientId,
      clientSecret: response.clientSecret,
      expiresAtMs: response.clientSecretExpiresAt * 1000,
      scopes: [...session.registrationScopes],
      grantTypes,
      ...(redirectUris ? { redirectUris } : {}),
      region: session.region,
      startUrl: session.startUrl,
    };
    await this.options.vault.saveRegistration(session.name, registration);
    return registration;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
