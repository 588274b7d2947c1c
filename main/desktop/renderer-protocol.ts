import { net, protocol, type Session } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { toDisposable, type Disposable } from '../core/lifecycle';

/**
 * The window's page comes from `latchkey-app://app/`, not `file://`: with the
 * GrantFileProtocolExtraPrivileges fuse off (electron-builder.yml), Electron's file://
 * loader neither reads inside app.asar nor grants file pages more than a browser would,
 * and `'self'` in the CSP then means the app's own files only, not every local file
 * (docs/security.md, "Fuses"; Electron's security checklist, item 18).
 */
export const RENDERER_SCHEME = 'latchkey-app';
const RENDERER_HOST = 'app';
export const RENDERER_PAGE_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`;

/** The page's policy (renderer/index.html's meta tag) plus `frame-ancestors`, which a meta tag cannot carry; sent with every response, so it holds before any HTML is parsed. */
export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** What dist/renderer holds: anything else (source maps, a directory, an unknown name) is not served. Module scripts need a JavaScript type, or Chromium refuses them. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Registers the scheme as a standard one (relative URLs and an origin of its own, so
 * `'self'` works) and secure (a secure context, as https). No `bypassCSP`: the page's
 * policy must hold; no `supportFetchAPI` or `corsEnabled`: the page fetches nothing.
 * Electron accepts this only before the app is ready.
 */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true } }]);
}

/** Serves `rendererDir` (dist/renderer, inside app.asar when packaged) to the window's session, until disposed. */
export function serveRenderer(session: Session, rendererDir: string): Disposable {
  session.protocol.handle(RENDERER_SCHEME, (request) => rendererResponse(request, rendererDir));
  return toDisposable(() => session.protocol.unhandle(RENDERER_SCHEME));
}

/**
 * One request of the page. net.fetch on a file: URL reads through Electron's asar-aware
 * loader whatever the fuse says, so the files can stay inside app.asar.
 */
export async function rendererResponse(request: Pick<Request, 'url' | 'method'>, rendererDir: string): Promise<Response> {
  const file = request.method === 'GET' ? rendererFile(request.url, rendererDir) : undefined;
  const contentType = file === undefined ? undefined : CONTENT_TYPES[path.extname(file)];
  if (file === undefined || contentType === undefined) return notFound();
  let body: Response;
  try {
    body = await net.fetch(pathToFileURL(file).href);
  } catch {
    return notFound(); // net::ERR_FILE_NOT_FOUND, or a directory
  }
  if (!body.ok) return notFound();
  return new Response(body.body, { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': contentType } });
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': RENDERER_CSP,
  // The type above is the one Chromium uses, never a guess from the bytes.
  'X-Content-Type-Options': 'nosniff',
};

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * The file a URL names inside `rendererDir`, or undefined for another host or scheme, a
 * path that leaves the folder (`..`, also percent-encoded, or an encoded slash or
 * backslash that would become one), or a malformed escape.
 */
function rendererFile(url: string, rendererDir: string): string | undefined {
  let parsed: URL;
  let name: string;
  try {
    parsed = new URL(url);
    name = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${RENDERER_SCHEME}:` || parsed.host !== RENDERER_HOST) return undefined;
  if (name.includes('\\') || name.includes('\0')) return undefined;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${name}`);
  const inside = path.relative(root, file);
  if (inside === '' || inside.split(path.sep)[0] === '..' || path.isAbsolute(inside)) return undefined;
  return file;
}
