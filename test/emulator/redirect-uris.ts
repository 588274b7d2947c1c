/** Hosts a native client can bind for its loopback redirect (RFC 8252 section 7.3). */
const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

export function isLoopbackRedirectUri(value: string): boolean {
  const url = parseUrl(value);
  return url !== undefined && url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname) && url.hash === '';
}

/**
 * Loopback redirects match a registered one whatever the port, because the client
 * binds a free port only at sign-in time (RFC 8252 section 7.3); host and path must match.
 */
export function matchesRegisteredRedirect(requested: string, registered: readonly string[]): boolean {
  const url = parseUrl(requested);
  if (url === undefined || !isLoopbackRedirectUri(requested)) return false;
  return registered.some((candidate) => {
    const reg = parseUrl(candidate);
    return reg !== undefined && reg.hostname === url.hostname && reg.pathname === url.pathname && reg.search === url.search;
  });
}
