import type { Clock } from '../core/clock';
import type { FederationApi } from '../core/console/console-sign-in';
import type { Disposable } from '../core/lifecycle';
import type { Logger } from '../core/logger';
import type { Environment } from './environment';
import { HttpTransport } from './http-transport';
import type { RetryTiming } from './with-retries';

export interface FederationClientOptions {
  env: Environment;
  clock?: Clock;
  logger?: Logger;
  /** Overrides of the windows in `http-timing.ts`; only tests shrink them. */
  timing?: Partial<RetryTiming>;
}

/**
 * The AWS sign-in federation endpoint, through the same transport as IAM Identity Center
 * (proxy, CA bundle, timeouts, bounded bodies, retries). getSigninToken takes the role
 * credentials in its query, as AWS documents it: the request goes only over this
 * transport, which logs neither URLs nor bodies. One transport per endpoint, kept.
 */
export class FederationClient implements FederationApi, Disposable {
  private readonly transports = new Map<string, HttpTransport>();

  constructor(private readonly options: FederationClientOptions) {}

  async getSigninToken(signinEndpoint: string, session: string, signal?: AbortSignal): Promise<string> {
    const response = await this.transportFor(signinEndpoint).call({
      operation: 'GetSigninToken',
      method: 'GET',
      path: 'federation',
      query: { Action: 'getSigninToken', Session: session },
      // Issues a token and changes nothing: safe to ask again.
      safety: 'repeatable',
      signal,
    });
    return response.SigninToken;
  }

  dispose(): void {
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }

  private transportFor(baseUrl: string): HttpTransport {
    let transport = this.transports.get(baseUrl);
    if (transport === undefined) {
      transport = new HttpTransport({ baseUrl, env: this.options.env, clock: this.options.clock, logger: this.options.logger, timing: this.options.timing });
      this.transports.set(baseUrl, transport);
    }
    return transport;
  }
}
