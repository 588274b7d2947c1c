import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LaunchLinkRegistry, LaunchSite } from '../core/launch-link-registry';
import { LaunchLinks, launchLinkReusedError, type FlowLaunch } from '../core/launch-links';
import type { Disposable } from '../core/lifecycle';
import { PKCE_CALLBACK_REQUEST_TIMEOUT_MS, PKCE_CALLBACK_SILENT_CONNECTION_TIMEOUT_MS } from '../core/time-windows';
import { createOneRequestServer, listenOnLoopback, type OneRequestServer, type OneRequestServerLimits } from './one-request-server';
import { sendLaunchAnswer, sendPage } from './loopback-page';

export interface LaunchLinkServerOptions {
  /** The page the links lead to: the device code's complete verification URL. */
  target: string;
  /** How long from now the port stays bound, however early the flow ends (FlowLaunch.close). */
  holdMs: number;
  registry: LaunchLinkRegistry;
  /** Tests shrink the time windows. */
  limits?: Partial<OneRequestServerLimits>;
}

/**
 * Every local user can connect to the port, so it has the PKCE listener's bounds: a small
 * cap, silent connections dropped, one bodyless request each, headers of a few KiB.
 */
const DEFAULT_LIMITS: OneRequestServerLimits = {
  maxConnections: 16,
  silentConnectionTimeoutMs: PKCE_CALLBACK_SILENT_CONNECTION_TIMEOUT_MS,
  requestTimeoutMs: PKCE_CALLBACK_REQUEST_TIMEOUT_MS,
  maxHeaderBytes: 16 * 1024,
};

/**
 * The launch links of a sign-in without a loopback listener of its own (the device code):
 * a one-request server on 127.0.0.1 for the flow's duration. The PKCE flow serves its
 * links on its listener instead (main/aws/loopback-redirect-listener.ts).
 */
export async function startLaunchLinkServer(options: LaunchLinkServerOptions): Promise<LaunchLinkServer> {
  const holder: { site?: LaunchLinkServer } = {};
  const front = createOneRequestServer(
    { ...DEFAULT_LIMITS, ...options.limits },
    {
      onRequest: (req, res) => (holder.site === undefined ? res.destroy() : holder.site.answer(req, res)),
      // Anyone on the machine can cause it as often as they like: nobody to tell.
      onRefused: () => undefined,
    },
  );
  await listenOnLoopback(front);
  holder.site = new LaunchLinkServer(front, options);
  return holder.site;
}

export class LaunchLinkServer implements LaunchSite, FlowLaunch {
  readonly misuse: Promise<never>;
  private readonly links: LaunchLinks;
  private readonly registration: Disposable;
  private reportMisuse!: () => void;
  private ended = false;
  private readonly holdTimer: ReturnType<typeof setTimeout>;
  private releasing: Promise<void> | undefined;

  constructor(
    private readonly front: OneRequestServer,
    options: LaunchLinkServerOptions,
  ) {
    const port = (front.server.address() as AddressInfo).port;
    this.links = new LaunchLinks(`127.0.0.1:${port}`, options.target);
    this.misuse = new Promise<never>((_resolve, reject) => {
      this.reportMisuse = () => reject(launchLinkReusedError());
    });
    // A flow that ended before anyone fetched twice never awaits it.
    this.misuse.catch(() => undefined);
    this.registration = options.registry.add(options.target, this);
    this.holdTimer = setTimeout(() => void this.release(), Math.max(0, Math.min(options.holdMs, 2 ** 31 - 1)));
    this.holdTimer.unref();
  }

  mint(): string | undefined {
    return this.ended ? undefined : this.links.mint();
  }

  isLive(url: string): boolean {
    return !this.ended && this.links.isLive(url);
  }

  answer(req: IncomingMessage, res: ServerResponse): void {
    // DNS rebinding: a page of a name pointed at 127.0.0.1 must neither spend a link nor read an answer.
    if (req.headers.host !== this.links.authority) {
      sendPage(res, 400, 'Wrong address', `This page only answers at ${this.links.authority}.`);
      return;
    }
    const path = new URL(req.url ?? '/', `http://${this.links.authority}`).pathname;
    const answer = req.method === 'GET' || req.method === 'HEAD' ? this.links.answer(path) : { kind: 'not-launch' as const };
    if (answer.kind === 'not-launch') {
      sendPage(res, 404, 'Not found', 'There is nothing here.');
      return;
    }
    if (answer.kind === 'reused') this.reportMisuse();
    sendLaunchAnswer(res, answer);
  }

  /**
   * The flow has ended: the links lead nowhere ("already finished"), and the port stays
   * bound until the hold ends, so that no other user can bind it and answer a browser
   * that comes late for a link (the PKCE listener holds its port the same way).
   */
  close(): Promise<void> {
    this.ended = true;
    this.links.end();
    return Promise.resolve();
  }

  /** Gives the port back now: the hold ended, or the agent is stopping (the registry disposes its sites). */
  dispose(): Promise<void> {
    this.ended = true;
    this.links.end();
    return this.release();
  }

  private release(): Promise<void> {
    this.releasing ??= (async () => {
      clearTimeout(this.holdTimer);
      this.registration.dispose();
      const closed = new Promise<void>((resolve) => this.front.server.close(() => resolve()));
      this.front.closeAllConnections();
      await closed;
    })();
    return this.releasing;
  }
}
