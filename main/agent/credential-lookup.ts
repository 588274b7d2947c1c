import { isLatchkeyError } from '../core/errors';
import type { StoredRoleCredentials } from '../core/session-vault';
import type { SsoSessionSettings } from '../core/sso-session-settings';
import type { CredentialTargetWire } from './agent-wire-types';
import type { AgentServices } from './agent-services';
import { resolveCredentialTarget } from './credential-target';
import { SignInNeededError, signInInProgress, signInNotDone } from './sign-in-needed';
import { waitForSignIn } from './wait-for-sign-in';

export interface CredentialLookupOptions {
  /** How long to wait for a sign-in (one in flight, or one the desktop app can offer); 0 fails at once. */
  waitMs: number;
  signal: AbortSignal;
}

/**
 * Role credentials for a profile or an explicit role. A signed-out session never holds
 * the caller longer than it asked: with a sign-in in flight (`latchkey login`, the window)
 * it waits for that one at most `waitMs`, else fails at once naming where it runs; when
 * the desktop app can prompt, it raises `needs-sign-in` (rate-limited) and waits the same
 * way; a headless agent with nobody signing in fails at once with the `latchkey login`
 * hint, because nobody would see a prompt.
 */
export async function lookUpCredentials(
  services: AgentServices,
  wanted: CredentialTargetWire,
  options: CredentialLookupOptions,
): Promise<StoredRoleCredentials> {
  const { engine, signIns, interactive } = services;
  const target = await resolveCredentialTarget(services, wanted);
  const name = target.session.name;
  const fetch = async (): Promise<StoredRoleCredentials> => {
    const credentials = await engine.credentialsFor(target.session, target.accountId, target.roleName);
    services.recentRoles.record({ session: name, accountId: target.accountId, roleName: target.roleName }, accountNameOf(services, target));
    return credentials;
  };
  // A signed-in session keeps serving while it signs in again (`latchkey login --force`).
  // A signed-out one would join the sign-in in flight, for as long as the person takes.
  if (!(signIns.isSigningIn(name) && !(await engine.status(name)).signedIn)) {
    try {
      return await fetch();
    } catch (error) {
      if (!isLatchkeyError(error, 'signed_out')) throw error;
      if (!signIns.isSigningIn(name)) {
        if (!interactive || options.waitMs <= 0) throw new SignInNeededError(error.message, { session: name, app: interactive });
        services.needsSignIn.notify(name, target.profile);
      }
    }
  }
  const starter = signIns.starter(name);
  if (options.waitMs <= 0 && starter !== undefined) throw signInInProgress(name, starter, interactive);
  await waitForSignIn(engine.events, name, options.waitMs, services.clock, options.signal);
  const waitSeconds = Math.round(options.waitMs / 1000);
  // Asked of the tokens, not of the sign-in: `signed-in` fires before the sign-in settles.
  if (!(await engine.status(name)).signedIn) throw signInNotDone(name, waitSeconds, signIns.starter(name), interactive);
  try {
    return await fetch();
  } catch (error) {
    if (isLatchkeyError(error, 'signed_out')) throw signInNotDone(name, waitSeconds, undefined, interactive);
    throw error;
  }
}

/** From the kept listing, if there is one: recording a use must never list. */
function accountNameOf(services: AgentServices, target: { session: SsoSessionSettings; accountId: string }): string | undefined {
  return services.engine.keptAccounts(target.session)?.accounts.find((account) => account.accountId === target.accountId)?.accountName;
}
