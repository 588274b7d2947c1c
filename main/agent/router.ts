import type { IncomingMessage, ServerResponse } from 'node:http';
import { LatchkeyError } from '../core/errors';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface RouteRequest {
  /** Path parameters, already percent-decoded. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The parsed JSON body; `undefined` when the request had none. Validate before use. */
  body: unknown;
  /** Aborts when the caller goes away or the agent stops, so long waits end with them. */
  signal: AbortSignal;
  raw: IncomingMessage;
}

/** A JSON answer, or `streaming` when the handler writes the response itself (SSE). */
export type RouteResult = { status: number; body?: object; headers?: Readonly<Record<string, string>> } | 'streaming';

export type RouteHandler = (request: RouteRequest, response: ServerResponse) => Promise<RouteResult>;

export interface RouteOptions {
  /** A body limit above the server's default, for the one route that takes a large body (the relay's environment). */
  maxBodyBytes?: number;
}

interface Route {
  method: HttpMethod;
  segments: readonly string[];
  handler: RouteHandler;
  options: RouteOptions;
}

export type RouteMatch = { handler: RouteHandler; params: Record<string, string>; options: RouteOptions };

/**
 * Method and path to handler, with `:name` segments as parameters. Deliberately tiny:
 * the agent has a dozen fixed routes, and every parameter is validated by its route.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: HttpMethod, pattern: string, handler: RouteHandler, options: RouteOptions = {}): void {
    this.routes.push({ method, segments: splitPath(pattern), handler, options });
  }

  /** Throws `not_found` for an unknown path and `method_not_allowed` for a known path with another method. */
  match(method: string, pathname: string): RouteMatch {
    const segments = splitPath(pathname);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (params === undefined) continue;
      if (route.method === method) return { handler: route.handler, params, options: route.options };
      allowed.push(route.method);
    }
    if (allowed.length > 0) {
      throw new LatchkeyError('method_not_allowed', `${pathname} does not take ${method.slice(0, 16)}; use ${allowed.join(' or ')}.`);
    }
    throw new LatchkeyError('not_found', `There is no route ${pathname.slice(0, 200)}; see docs/agent-api.md for the routes.`);
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, expected] of pattern.entries()) {
    const segment = actual[index] ?? '';
    if (expected.startsWith(':')) {
      params[expected.slice(1)] = decodeSegment(segment);
    } else if (expected !== segment) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new LatchkeyError('invalid_request', 'A path segment is not valid percent-encoded UTF-8.');
  }
}
