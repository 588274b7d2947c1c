import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LatchkeyError, type LatchkeyErrorCode } from '../core/errors';
import type { LaunchLinkRegistry, LaunchSite } from '../core/launch-link-registry';
import { LaunchLinks, launchLinkReusedError } from '../core/launch-links';
import type { Disposable } from '../core/lifecycle';
import { constantTimeEqual } from '../core/pkce';
import {
  PKCE_CALLBACK_REQUEST_TIMEOUT_MS,
  PKCE_CALLBACK_SILENT_CONNECTION_TIMEOUT_MS,
  PKCE_CALLBACK_TIMEOUT_MS,
} from '../core/time-windows';
import type { ConnectionLimits } from '../net/connection-limits';
import { sendLaunchAnswer, sendPage } from '../net/loopback-page';
import { createOneRequestServer, listenOnLoopback, type OneRequestServer } from '../net/one-request-server';

/**
 * The loopback end of the PKCE sign-in (RFC 8252 section 7.3): a one-shot HTTP server
 * on 127.0.0.1 that receives the browser's redirect and hands back the authorization
 * code. Only a request for 127.0.0.1:<port> carrying the expected `state` decides the
 * sign-in; it accepts exactly one such callback. It also serves the sign-in's launch
 * links (main/core/launch-links.ts), so the authorize URL never reaches a command line.
 *
 * Once decided it keeps the port until the sign-in's deadline, answering only "already
 * finished": a tab may still be redirected here (the victim's, after another user
 * decided the sign-in), and a port given back could be bound by another user, who would
 * then receive the authorization code. The registry it is given releases it at the
 * deadline or when the registry is disposed (the agent stops).
 */
export interface LoopbackRedirectListenerOptions {
  /** The `state` put into the authorize URL; the callback must carry the same. */
  expectedState: string;
  /** Where the launch links are found, and what releases the port when the agent stops. */
  registry: LaunchLinkRegistry;
  /** The sign-in's deadline: undecided by then it expires; the port is held until then. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Overrides of DEFAULT_LOOPBACK_LISTENER_LIMITS; tests shrink the time windows. */
  limits?: Partial<LoopbackListenerLimits>;
}

/**
 * Every local user can connect to a loopback port and find this one in /proc/net/tcp, so
 * its connections are capped and timed like the exec port's (main/net/connection-limits.ts).
 */
export interface LoopbackListenerLimits extends ConnectionLimits {
  /** For the headers too: the redirect is one GET without a body. */
  requestTimeoutMs: number;
}

export const DEFAULT_LOOPBACK_LISTENER_LIMITS: LoopbackListenerLimits = {
  // A browser opens a handful of connections to one origin (the page, a favicon, a
  // speculative preconnect); the cap bounds the descriptors anyone else can make the agent hold.
  maxConnections: 16,
  silentConnectionTimeoutMs: PKCE_CALLBACK_SILENT_CONNECTION_TIMEOUT_MS,
  requestTimeoutMs: PKCE_CALLBACK_REQUEST_TIMEOUT_MS,
};

export interface AuthorizationCallback {
  code: string;
}

const CALLBACK_PATH = '/oauth/callback';
/** A browser's redirect carries a few cookies-free headers and a code and state of a few hundred bytes. */
const CALLBACK_MAX_HEADER_BYTES = 16 * 1024;

/** OAuth error codes (RFC 6749 section 4.1.2.1) that have a Latchkey code of their own. */
const CALLBACK_ERROR_CODES: Readonly<Record<string, LatchkeyErrorCode>> = {
  access_denied: 'access_denied',
  invalid_request: 'invalid_request',
  invalid_scope: 'invalid_scope',
  unauthorized_client: 'invalid_client',
  server_error: 'server_error',
  temporarily_unavailable: 'server_error',
};

/**
 * Binds before returning: the redirect URI sent to /authorize must name the port, and
 * the browser may come back the instant it opens, so the port has to exist first
 * (RFC 8252 section 7.3, and the AWS CLI binds before opening the browser too).
 * 127.0.0.1 rather than `localhost`: RFC 8252 section 8.3 advises the IP literal, since
 * `localhost` may resolve to ::1 or be remapped, and binding only loopback keeps the
 * listener off the network.
 */
export async function startLoopbackRedirectListener(
  options: LoopbackRedirectListenerOptions,
): Promise<LoopbackRedirectListener> {
  if (options.signal?.aborted) throw cancelledError();
  const limits = { ...DEFAULT_LOOPBACK_LISTENER_LIMITS, ...options.limits };
  // Set before the first connection can be read: the listen callback resumes this
  // function ahead of any connection event.
  const holder: { listener?: LoopbackRedirectListener } = {};
  const front = createOneRequestServer(
    { ...limits, maxHeaderBytes: CALLBACK_MAX_HEADER_BYTES },
    {
      onRequest: (req, res) => (holder.listener === undefined ? res.destroy() : holder.listener.answer(req, res)),
      // Nobody to tell: anyone on the machine can make this happen as often as they like.
      onRefused: () => undefined,
    },
  );
  await listenOnLoopback(front);
  holder.listener = new LoopbackRedirectListener(front, options);
  return holder.listener;
}

export class LoopbackRedirectListener implements LaunchSite {
  readonly port: number;
  /** `http://127.0.0.1:<port>/oauth/callback`: the redirect_uri for /authorize and CreateToken. */
  readonly redirectUri: string;
  /** `127.0.0.1:<port>`: the only Host header the listener answers. */
  private readonly authority: string;
  /** Resolves once the server and every connection to it are gone. */
  readonly closed: Promise<void>;
  private readonly outcome: Promise<AuthorizationCallback>;
  private settleOutcome!: (result: AuthorizationCallback | LatchkeyError) => void;
  private decided = false;
  private readonly deadline: ReturnType<typeof setTimeout>;
  private links: LaunchLinks | undefined;
  private registration: Disposable | undefined;
  private releasing: Promise<void> | undefined;

  constructor(
    private readonly front: OneRequestServer,
    private readonly options: LoopbackRedirectListenerOptions,
  ) {
    const { server } = front;
    this.port = (server.address() as AddressInfo).port;
    this.authority = `127.0.0.1:${this.port}`;
    this.redirectUri = `http://${this.authority}${CALLBACK_PATH}`;
    this.closed = new Promise((resolve) => server.once('close', () => resolve()));
    this.outcome = new Promise<AuthorizationCallback>((resolve, reject) => {
      this.settleOutcome = (result) => (result instanceof LatchkeyError ? reject(result) : resolve(result));
    });
    // Nobody may be awaiting yet (an abort before waitForCode); the caller still sees the rejection.
    this.outcome.catch(() => undefined);
    this.deadline = setTimeout(() => {
      this.decide(expiredError());
      void this.release();
    }, options.timeoutMs ?? PKCE_CALLBACK_TIMEOUT_MS);
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    // The signal may have fired while the port was being bound, before anyone listened.
    if (options.signal?.aborted) this.decide(cancelledError());
  }

  /** The code from the one accepted callback, or the LatchkeyError that ended the wait. */
  waitForCode(): Promise<AuthorizationCallback> {
    return this.outcome;
  }

  /**
   * Serves one-shot links to `target` (the authorize URL) on this port from now on, found
   * through the registry. A second fetch of a link decides the sign-in: stopped.
   */
  serveLaunch(target: string): void {
    if (this.links !== undefined || this.releasing !== undefined) return;
    this.links = new LaunchLinks(this.authority, target);
    if (this.decided) this.links.end();
    this.registration = this.options.registry.add(target, this);
  }

  mint(): string | undefined {
    return this.decided || this.links === undefined ? undefined : this.links.mint();
  }

  isLive(url: string): boolean {
    return this.links?.isLive(url) ?? false;
  }

  /**
   * The flow is done with the listener: a pending wait rejects with `cancelled`. The port
   * stays held until the deadline (see above), unless no browser was ever sent here.
   */
  async close(): Promise<void> {
    this.decide(cancelledError());
    if (this.links === undefined) await this.release();
  }

  /** Gives the port back now, open connections cut: the agent is stopping. */
  dispose(): Promise<void> {
    this.decide(cancelledError());
    return this.release();
  }

  [Symbol.dispose](): void {
    void this.dispose();
  }

  private readonly onAbort = (): void => {
    this.decide(cancelledError());
  };

  /** Each request the listener's server lets through (startLoopbackRedirectListener wires it). */
  answer(req: IncomingMessage, res: ServerResponse): void {
    // DNS rebinding: a web page may point a name of its own at 127.0.0.1 and read the
    // answers. The redirect URI names 127.0.0.1:<port>, so a browser on the real
    // redirect sends exactly that; anything else is not the sign-in coming back.
    if (req.headers.host !== this.authority) {
      sendPage(res, 400, 'Wrong address', `This page only answers at ${this.authority}.`);
      return;
    }
    const url = new URL(req.url ?? '/', `http://${this.authority}`);
    const launch = this.links !== undefined && (req.method === 'GET' || req.method === 'HEAD') ? this.links.answer(url.pathname) : undefined;
    if (launch !== undefined && launch.kind !== 'not-launch') {
      // Someone fetched the link before: if it was another user, the callback it could
      // deliver next must not count, so the sign-in ends here.
      if (launch.kind === 'reused') this.decide(launchLinkReusedError());
      sendLaunchAnswer(res, launch);
      return;
    }
    if (url.pathname !== CALLBACK_PATH) {
      sendPage(res, 404, 'Not found', 'There is nothing here.');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendPage(res, 405, 'Not allowed', 'This address only takes the sign-in redirect.');
      return;
    }
    if (this.decided) {
      sendPage(res, 409, 'Already finished', 'This sign-in already finished. You can close this tab.');
      return;
    }
    // Any local process or web page can send a request here; only one carrying the state
    // (known to the browser on the real redirect alone) may decide the sign-in. The
    // authorization server returns state on errors too (RFC 6749 section 4.1.2.1).
    if (!constantTimeEqual(url.searchParams.get('state') ?? '', this.options.expectedState)) {
      sendPage(res, 400, 'Not this sign-in', 'This is not the sign-in Latchkey is waiting for; finish the sign-in in the tab Latchkey opened.');
      return;
    }
    const result = readCallback(url.searchParams);
    if (result instanceof LatchkeyError) {
      sendPage(res, 400, 'Sign-in failed', `${result.message} You can close this tab.`);
    } else {
      sendPage(res, 200, 'Signed in', 'Signed in. You can close this tab.');
    }
    this.decide(result);
  }

  /** The first outcome wins; everything after it only gets the "already finished" page. */
  private decide(result: AuthorizationCallback | LatchkeyError): void {
    if (this.decided) return;
    this.decided = true;
    this.links?.end();
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.settleOutcome(result);
  }

  private release(): Promise<void> {
    this.releasing ??= (async () => {
      clearTimeout(this.deadline);
      this.registration?.dispose();
      this.front.server.close();
      this.front.closeAllConnections();
      await this.closed;
    })();
    return this.releasing;
  }
}

/** A callback whose state matched: the code, or the error the authorization server sent. */
function readCallback(params: URLSearchParams): AuthorizationCallback | LatchkeyError {
  const error = params.get('error');
  if (error !== null) return callbackError(error);
  const code = params.get('code');
  if (code === null || code === '') {
    return new LatchkeyError('invalid_request', 'The sign-in redirect carried no authorization code; start the sign-in again.');
  }
  return { code };
}

/**
 * The OAuth error code alone, kept to a safe shape: `error_description` is free text the
 * page that sent the browser here chose, and it would land on the terminal.
 */
function callbackError(rawError: string): LatchkeyError {
  const error = rawError.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 64) || 'unknown_error';
  const code = CALLBACK_ERROR_CODES[error];
  if (code === 'access_denied') return new LatchkeyError(code, 'The sign-in was declined in the browser; nothing was issued.');
  return new LatchkeyError(code ?? 'invalid_request', `The sign-in failed with error "${error}".`, {
    retryable: code === 'server_error',
  });
}


function expiredError(): LatchkeyError {
  return new LatchkeyError('expired_token', 'The browser sign-in was not completed in time; start the sign-in again.');
}

function cancelledError(): LatchkeyError {
  return new LatchkeyError('cancelled', 'The sign-in was cancelled.');
}
