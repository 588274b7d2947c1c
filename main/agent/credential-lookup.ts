import { isLatchkeyError } from '../core/errors';
import type { StoredRoleCredentials } from '../core/session-vault';
import type { CredentialTargetWire } from './agent-wire-types';
import type { AgentServices } from './agent-services';
import { waitForSignIn } from './wait-for-sign-in';

export interface CredentialLookupOptions {
  /** How long to wait for a sign-in when the session is signed out and the agent is interactive; 0 fails at once. */
  waitMs: number;
  signal: AbortSignal;
}

/**
 * Role credentials for a profile or an explicit role. When the session is signed out and
 * the desktop app can prompt, it raises `needs-sign-in` (rate-limited) and waits for the
 * person to finish signing in, then asks once more; a headless agent fails at once with
 * the `latchkey login` hint, because nobody would see a prompt.
 */
export async function lookUpCredentials(
  services: AgentServices,
  wanted: CredentialTargetWire,
  options: CredentialLookupOptions,
): Promise<StoredRoleCredentials> {
  const target = await services.config.target(wanted);
  const fetch = (): Promise<StoredRoleCredentials> =>
    services.engine.credentialsFor(target.session, target.accountId, target.roleName);
  try {
    return await fetch();
  } catch (error) {
    if (!isLatchkeyError(error, 'signed_out') || !services.interactive || options.waitMs <= 0) throw error;
    services.needsSignIn.notify(target.session.name, target.profile);
    await waitForSignIn(services.engine.events, target.session.name, options.waitMs, services.clock, options.signal);
    return fetch();
  }
}
