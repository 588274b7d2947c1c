/**
 * Whether `NO_PROXY` exempts a URL from the proxy, with the conventions curl and the
 * AWS SDKs share: entries split on commas or spaces; `*` matches everything; `host`,
 * `.host` and `*.host` match that host and every subdomain; `host:port` only that port.
 * CIDR ranges are not supported (neither do most SDKs); an IP matches only itself.
 */
export function shouldBypassProxy(target: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const host = normaliseHost(target.hostname);
  const port = target.port === '' ? defaultPort(target.protocol) : target.port;
  return noProxy
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
    .some(function matches(entry): boolean {
      if (entry === '*') return true;
      const { entryHost, entryPort } = splitEntry(entry);
      if (entryPort !== undefined && entryPort !== port) return false;
      const bare = entryHost.replace(/^\*?\./, '');
      if (bare === '') return false;
      return host === bare || host.endsWith(`.${bare}`);
    });
}

function splitEntry(entry: string): { entryHost: string; entryPort: string | undefined } {
  // `[::1]:8080`, `[::1]`, `::1` (bare IPv6 has no port), `example.com:443`, `example.com`.
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { entryHost: bracketed[1] ?? '', entryPort: bracketed[2] };
  const colons = entry.split(':').length - 1;
  if (colons === 1) {
    const [entryHost = '', entryPort] = entry.split(':');
    return { entryHost, entryPort };
  }
  return { entryHost: entry, entryPort: undefined };
}

function normaliseHost(hostname: string): string {
  // URL keeps IPv6 literals in brackets; NO_PROXY entries are compared without them.
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}
