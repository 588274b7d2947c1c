import { buildAuthorizeUrl } from './authorize-url';
import type { Clock } from './clock';
import { LatchkeyError, isLatchkeyError } from './errors';
import type { OidcApi, TokenResponse } from './identity-center-api';
import { createPkce } from './pkce';
import type { PkceFlowEvent } from './session-events';
import { PKCE_CALLBACK_TIMEOUT_MS } from './time-windows';

/** The loopback end of the redirect (main/aws implements it with node:http). */
export interface LoopbackRedirect {
  readonly redirectUri: string;
  /**
   * Serves one-shot launch links to `authorizeUrl` from now on (main/core/launch-links.ts):
   * the browser is opened at one of those, never at the authorize URL, whose state and
   * code challenge any local user could read from a command line. A link fetched twice
   * ends the wait with `launchLinkReusedError`.
   */
  serveLaunch(authorizeUrl: string): void;
  waitForCode(): Promise<{ code: string }>;
  /** The flow is done with it; the port may stay held until the flow's deadline. */
  close(): Promise<void>;
}

export type StartLoopbackRedirect = (options: { expectedState: string; signal?: AbortSignal }) => Promise<LoopbackRedirect>;

export interface PkceFlowOptions {
  oidc: OidcApi;
  clock: Clock;
  clientId: string;
  clientSecret: string;
  /** The OIDC service's base URL, where `/authorize` lives. */
  oidcEndpoint: string;
  scopes: readonly string[];
  startLoopback: StartLoopbackRedirect;
  /**
   * Opens the system browser at a launch link to this URL (main/agent/guarded-browser.ts).
   * A failure is not fatal: the URL has been shown already.
   */
  openBrowser: (url: string) => Promise<void>;
  signal?: AbortSignal;
  onEvent?: (event: PkceFlowEvent) => void;
}

/**
 * Authorization code with PKCE (RFC 7636, RFC 8252): the loopback listener is bound
 * before the browser opens, the URL is announced before anything opens (so a person can
 * copy it when no browser comes up), and the listener closes in every outcome.
 */
export async function runPkceFlow(options: PkceFlowOptions): Promise<TokenResponse> {
  const emit = options.onEvent ?? noEvent;
  const { codeVerifier, codeChallenge, state } = await createPkce();
  const listener = await options.startLoopback({ expectedState: state, signal: options.signal });
  try {
    const authorizeUrl = buildAuthorizeUrl({
      oidcEndpoint: options.oidcEndpoint,
      clientId: options.clientId,
      redirectUri: listener.redirectUri,
      state,
      codeChallenge,
      scopes: options.scopes,
    });
    // Before anyone may open it: the opener asks for a launch link to this URL.
    listener.serveLaunch(authorizeUrl);
    emit({
      type: 'browser-opening',
      authorizeUrl,
      redirectUri: listener.redirectUri,
      expiresAtMs: options.clock.nowMs() + PKCE_CALLBACK_TIMEOUT_MS,
    });
    await options.openBrowser(authorizeUrl).catch(() => undefined);
    const { code } = await listener.waitForCode();
    const token = await options.oidc.createToken({
      grantType: 'authorization_code',
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      code,
      redirectUri: listener.redirectUri,
      codeVerifier,
    });
    emit({ type: 'approved' });
    return token;
  } catch (error) {
    emit(outcomeEvent(error));
    if (isLatchkeyError(error, 'access_denied')) {
      throw new LatchkeyError('access_denied', 'The sign-in was declined in the browser; nothing was issued.', { cause: error });
    }
    throw error;
  } finally {
    await listener.close();
  }
}

function outcomeEvent(error: unknown): PkceFlowEvent {
  if (isLatchkeyError(error, 'access_denied')) return { type: 'denied' };
  if (isLatchkeyError(error, 'expired_token') || isLatchkeyError(error, 'timeout')) return { type: 'expired' };
  if (isLatchkeyError(error)) return { type: 'failed', code: error.code, message: error.message };
  return { type: 'failed', code: 'internal_error', message: 'The sign-in failed unexpectedly.' };
}

function noEvent(): void {}
