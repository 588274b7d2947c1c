import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { LatchkeyError } from '../core/errors';
import type { Environment } from './environment';
import { shouldBypassProxy } from './no-proxy';

export interface HttpAgents {
  http: HttpAgent;
  https: HttpsAgent;
  destroy(): void;
}

/**
 * The agents for requests to `target`: through the proxy the environment names for the
 * target's scheme (`HTTPS_PROXY`/`https_proxy` for https, `HTTP_PROXY`/`http_proxy` for
 * http) unless `NO_PROXY`/`no_proxy` exempts it; direct otherwise. Keep-alive lets the
 * pages of one listing share a connection; `destroy()` closes them.
 */
export function createHttpAgents(target: URL, env: Environment): HttpAgents {
  const proxy = proxyFor(target, env);
  const options = { keepAlive: true };
  const http = proxy !== undefined && target.protocol === 'http:' ? new HttpProxyAgent({ ...options, proxy }) : new HttpAgent(options);
  const https = proxy !== undefined && target.protocol === 'https:' ? new HttpsProxyAgent({ ...options, proxy }) : new HttpsAgent(options);
  return {
    http,
    https,
    destroy(): void {
      http.destroy();
      https.destroy();
    },
  };
}

function proxyFor(target: URL, env: Environment): URL | undefined {
  const raw =
    target.protocol === 'https:'
      ? nonEmpty(env.HTTPS_PROXY) ?? nonEmpty(env.https_proxy)
      : nonEmpty(env.HTTP_PROXY) ?? nonEmpty(env.http_proxy);
  if (raw === undefined) return undefined;
  if (shouldBypassProxy(target, nonEmpty(env.NO_PROXY) ?? nonEmpty(env.no_proxy))) return undefined;
  // `proxy.example.com:3128` without a scheme is common in the wild; curl reads it as http.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let proxy: URL;
  try {
    proxy = new URL(withScheme);
  } catch {
    throw new LatchkeyError('config_error', 'The proxy variable (HTTPS_PROXY or HTTP_PROXY) is not a valid URL');
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new LatchkeyError('config_error', `The proxy URL must use http or https, not ${proxy.protocol}`);
  }
  return proxy;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
