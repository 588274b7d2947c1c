import { describe, expect, it } from 'vitest';
import { Router, type RouteHandler } from '../../../main/agent/router';
import { isLatchkeyError } from '../../../main/core/errors';

const ok: RouteHandler = async () => ({ status: 200 });

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return isLatchkeyError(error) ? error.code : 'other';
  }
}

describe('Router', () => {
  const router = new Router();
  router.add('GET', '/v1/status', ok);
  router.add('POST', '/v1/sessions/:name/sign-in', ok);
  router.add('DELETE', '/v1/sessions/:name/sign-in', ok);

  it('matches a route and decodes its parameters', () => {
    expect(router.match('POST', '/v1/sessions/my%20corp/sign-in').params).toEqual({ name: 'my corp' });
  });

  it.each([
    ['an unknown path', 'GET', '/v1/nope', 'not_found'],
    ['a longer path', 'GET', '/v1/status/extra', 'not_found'],
    ['a known path with another method', 'PUT', '/v1/sessions/a/sign-in', 'method_not_allowed'],
    ['a broken escape', 'POST', '/v1/sessions/%E0%A4%A/sign-in', 'invalid_request'],
  ])('refuses %s', (_name, method, path, code) => {
    expect(codeOf(() => router.match(method, path))).toBe(code);
  });

  it('names the allowed methods', () => {
    expect(() => router.match('PUT', '/v1/sessions/a/sign-in')).toThrow('use POST or DELETE');
  });
});
