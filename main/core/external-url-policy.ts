/**
 * What `shell.openExternal` may open. The browser is the one place a URL leaves the app,
 * so a compromised page, a hostile AWS config or a spoofed endpoint must not be able to
 * open `file:`, `javascript:`, a custom protocol handler, or a phishing page that merely
 * looks like AWS. Only pages of the sign-in in use pass: the sessions' start URLs, the
 * OIDC and portal endpoints, the device verification host next to the OIDC one, and the
 * federation endpoint of each session's partition (`latchkey console`'s sign-in URL).
 *
 * Such a page is where a launch link leads (main/core/launch-links.ts); what the browser is
 * handed is the link, and on loopback nothing else: `isLaunchLinkUrl`.
 */
export interface ExternalUrlAllowlist {
  /** https hosts on the default port; a subdomain of one passes too. */
  hosts: readonly string[];
  /**
   * Exact origins (scheme, host and port) from endpoint overrides pointing at this machine
   * (`AWS_ENDPOINT_URL_SSO_OIDC=http://127.0.0.1:PORT`, the emulator): pages a launch link
   * may lead to. Nothing else may use plain http or a port.
   */
  loopbackOrigins: readonly string[];
}

export interface SessionEndpoints {
  startUrl: string;
  region: string;
}

export interface EndpointResolvers {
  oidc: (region: string) => string;
  portal: (region: string) => string;
  /** The federation endpoint for the region's partition (`https://signin.aws.amazon.com`, or an override). */
  signin?: (region: string) => string;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A URL host (as `URL.hostname` gives it) that names this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

export function isAllowedExternalUrl(url: string, allow: ExternalUrlAllowlist): boolean {
  const parsed = parse(url);
  if (parsed === undefined) return false;
  // Credentials in a URL are a classic disguise ("https://aws.amazon.com@evil.example/").
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (allow.loopbackOrigins.includes(parsed.origin)) return true;
  // The URL parser drops the default port, so any port left here is an odd one.
  if (parsed.protocol !== 'https:' || parsed.port !== '') return false;
  const host = parsed.hostname.toLowerCase();
  return allow.hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

/**
 * What the browser may be handed on this machine: exactly a live launch link, plain http
 * on 127.0.0.1 as the loopback servers mint them, nothing around it.
 */
export function isLaunchLinkUrl(url: string, isLive: (url: string) => boolean): boolean {
  const parsed = parse(url);
  if (parsed === undefined || parsed.protocol !== 'http:' || parsed.hostname !== '127.0.0.1') return false;
  if (parsed.username !== '' || parsed.password !== '' || parsed.search !== '' || parsed.hash !== '') return false;
  return parsed.href === url && isLive(url);
}

/**
 * The allowlist for a set of sessions. Never widened to a registrable domain: allowing
 * `amazonaws.com` would let any S3 website or API Gateway page through.
 */
export function allowedExternalHosts(sessions: readonly SessionEndpoints[], endpoints: EndpointResolvers): ExternalUrlAllowlist {
  const hosts = new Set<string>();
  const loopbackOrigins = new Set<string>();
  function addEndpoint(base: string): URL | undefined {
    const parsed = parse(base);
    if (parsed === undefined || parsed.username !== '' || parsed.password !== '') return undefined;
    if (parsed.protocol === 'https:' && parsed.port === '') {
      hosts.add(parsed.hostname.toLowerCase());
      return parsed;
    }
    if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && isLoopbackHost(parsed.hostname)) {
      loopbackOrigins.add(parsed.origin);
    }
    return undefined;
  }
  for (const session of sessions) {
    addEndpoint(session.startUrl);
    for (const resolve of [endpoints.oidc, endpoints.portal, ...(endpoints.signin === undefined ? [] : [endpoints.signin])]) {
      let base: string;
      try {
        base = resolve(session.region);
      } catch {
        continue; // A bad region is reported elsewhere; it simply adds nothing here.
      }
      const oidc = addEndpoint(base);
      // AWS's device verification page lives on `device.sso.<region>.<suffix>`, next to `oidc.<region>.<suffix>`.
      if (resolve === endpoints.oidc && oidc !== undefined && /^oidc(-fips)?\./.test(oidc.hostname)) {
        hosts.add(oidc.hostname.replace(/^oidc(-fips)?\./, 'device.sso.'));
      }
    }
  }
  return { hosts: [...hosts], loopbackOrigins: [...loopbackOrigins] };
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
