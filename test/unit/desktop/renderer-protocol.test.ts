import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RENDERER_CSP, RENDERER_SCHEME, registerRendererScheme, rendererResponse, serveRenderer } from '../../../main/desktop/renderer-protocol';
import { electronFake, FakeProtocol } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

let dir: string;
let rendererDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-renderer-'));
  rendererDir = join(dir, 'renderer');
  await mkdir(join(rendererDir, 'nested'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Latchkey</title>');
  await writeFile(join(rendererDir, 'renderer.js'), 'export {};');
  await writeFile(join(rendererDir, 'style.css'), 'body {}');
  await writeFile(join(rendererDir, 'renderer.js.map'), '{}');
  // A sibling whose name starts like the folder's: a prefix check would let it through.
  await mkdir(join(dir, 'renderer-secrets'));
  await writeFile(join(dir, 'renderer-secrets', 'token.js'), 'the refresh token');
  await writeFile(join(dir, 'secret.js'), 'the refresh token');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function get(url: string): Promise<Response> {
  return rendererResponse({ url, method: 'GET' }, rendererDir);
}

describe('the renderer scheme', () => {
  it('is registered standard and secure, and never bypasses the CSP', () => {
    registerRendererScheme();
    expect(electronFake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'latchkey-app', privileges: { standard: true, secure: true } }]);
  });

  it.each([
    ['index.html', 'text/html; charset=utf-8', '<!doctype html><title>Latchkey</title>'],
    ['renderer.js', 'text/javascript; charset=utf-8', 'export {};'],
    ['style.css', 'text/css; charset=utf-8', 'body {}'],
  ])('serves %s as %s with the CSP', async (name, type, body) => {
    const response = await get(`latchkey-app://app/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe(type);
    expect(response.headers.get('Content-Security-Policy')).toBe(RENDERER_CSP);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(await response.text()).toBe(body);
  });

  it.each([
    ['dot_dot', 'latchkey-app://app/../secret.js'],
    ['encoded_dot_dot', 'latchkey-app://app/%2e%2e/secret.js'],
    ['encoded_slash', 'latchkey-app://app/..%2Fsecret.js'],
    ['encoded_backslash', 'latchkey-app://app/..%5Csecret.js'],
    ['sibling_with_the_same_prefix', 'latchkey-app://app/..%2Frenderer-secrets/token.js'],
    ['absolute_path_in_the_path', 'latchkey-app://app/%2Fetc%2Fpasswd'],
    ['nul_byte', 'latchkey-app://app/index.html%00.js'],
    ['malformed_escape', 'latchkey-app://app/%E0%A4%A.js'],
    ['another_host', 'latchkey-app://evil/index.html'],
    ['another_scheme', 'file:///etc/passwd'],
    ['unknown_file', 'latchkey-app://app/missing.js'],
    ['a_directory', 'latchkey-app://app/nested'],
    ['the_root', 'latchkey-app://app/'],
    ['a_type_it_does_not_serve', 'latchkey-app://app/renderer.js.map'],
  ])('answers 404 and reads nothing outside the folder: %s', async (_name, url) => {
    const fetches = electronFake.net.fetch.mock.calls.length;
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Security-Policy')).toBe(RENDERER_CSP);
    const read = electronFake.net.fetch.mock.calls.slice(fetches).map(([fileUrl]) => fileUrl);
    expect(read.every((fileUrl) => fileUrl.startsWith(`file://${rendererDir}/`))).toBe(true);
  });

  it('answers 404 to anything but GET', async () => {
    expect((await rendererResponse({ url: 'latchkey-app://app/index.html', method: 'POST' }, rendererDir)).status).toBe(404);
  });

  it('is handled on the given session until disposed, through the same responses', async () => {
    const session = { protocol: new FakeProtocol() };
    const served = serveRenderer(session as never, rendererDir);
    const handler = session.protocol.handlers.get(RENDERER_SCHEME);
    expect(handler).toBeDefined();
    expect((await handler?.(new Request('latchkey-app://app/style.css')))?.status).toBe(200);
    served.dispose();
    expect(session.protocol.handlers.size).toBe(0);
  });
});
