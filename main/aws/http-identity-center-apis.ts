import type { Clock } from '../core/clock';
import type { IdentityCenterApis } from '../core/identity-center-api';
import type { Disposable } from '../core/lifecycle';
import type { Logger } from '../core/logger';
import { resolveOidcEndpoint, resolvePortalEndpoint, type EndpointOptions } from './endpoints';
import type { Environment } from './environment';
import { HttpTransport } from './http-transport';
import { OidcClient } from './oidc-client';
import { PortalClient } from './portal-client';
import type { RetryTiming } from './with-retries';

export interface HttpIdentityCenterApisOptions extends EndpointOptions {
  /** Usually `process.env`, passed in by the entry point. */
  env: Environment;
  clock?: Clock;
  logger?: Logger;
  /** Overrides of the windows in `http-timing.ts`; only tests shrink them. */
  timing?: Partial<RetryTiming>;
}

/**
 * Core's `IdentityCenterApis` over HTTP: one OIDC and one portal client per region,
 * made on first use (sessions may live in different regions) and kept, so listings
 * reuse their connections. `close()` releases every transport it made.
 */
export class HttpIdentityCenterApis implements IdentityCenterApis, Disposable {
  private readonly oidcClients = new Map<string, OidcClient>();
  private readonly portalClients = new Map<string, PortalClient>();
  private readonly transports: HttpTransport[] = [];

  constructor(private readonly options: HttpIdentityCenterApisOptions) {}

  /** Where the browser finds `/authorize` for a PKCE sign-in in this region. */
  oidcEndpoint(region: string): string {
    return resolveOidcEndpoint(region, this.options.env, this.options);
  }

  oidc(region: string): OidcClient {
    let client = this.oidcClients.get(region);
    if (client === undefined) {
      client = new OidcClient(this.transportFor(this.oidcEndpoint(region)));
      this.oidcClients.set(region, client);
    }
    return client;
  }

  portal(region: string): PortalClient {
    let client = this.portalClients.get(region);
    if (client === undefined) {
      client = new PortalClient(this.transportFor(resolvePortalEndpoint(region, this.options.env, this.options)));
      this.portalClients.set(region, client);
    }
    return client;
  }

  close(): void {
    for (const transport of this.transports.splice(0)) transport.close();
    this.oidcClients.clear();
    this.portalClients.clear();
  }

  dispose(): void {
    this.close();
  }

  private transportFor(baseUrl: string): HttpTransport {
    const transport = new HttpTransport({ baseUrl, env: this.options.env, clock: this.options.clock, logger: this.options.logger, timing: this.options.timing });
    this.transports.push(transport);
    return transport;
  }
}
