import { build } from 'esbuild';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import type { Page } from 'playwright';
import { BRIDGE_INVOKE_METHODS, type BridgeEvent, type BridgeInvokeMethod } from '../../main/core/bridge';
import type { SessionsController } from '../../main/core/sessions-controller';

/** Debian's Chromium, which the renderer's browser tests drive (docs/testing.md). */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Where the browser tests save what the window looks like, for a person to look at. */
export const SCREENSHOTS = 'test-results/screenshots';
/** The desktop window's size; 200% zoom halves its width in CSS pixels. */
export const WINDOW = { width: 440, height: 720 };

/**
 * The real renderer, built as scripts/build.mjs builds it, into a temporary directory
 * (the repository's dist/ is left alone: another build may be using it).
 */
export async function buildRenderer(): Promise<{ dir: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-renderer-'));
  await build({
    entryPoints: { renderer: 'renderer/renderer.ts' },
    outdir: dir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  await copyFile('renderer/index.html', join(dir, 'index.html'));
  await copyFile('renderer/style.css', join(dir, 'style.css'));
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** Serves `dir` on 127.0.0.1 so the page's CSP `'self'` means what it means in the app. */
export async function serveDirectory(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^[/\\]+/, '');
    const file = join(dir, path === '' ? 'index.html' : path);
    if (path === 'favicon.ico') {
      // Chromium asks for one over http; the app's file:// page never does.
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'GET' || !file.startsWith(dir + sep)) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const BINDING_PREFIX = '__latchkey_';

/**
 * Gives the page the `window.latchkey` the preload gives it in the app, wired to a real
 * SessionsController in this process: one binding per invoke method (the IPC channels),
 * and events pushed in order through `page.evaluate` (the event channel). Events that
 * arrive before the page subscribes wait in a backlog, as IPC messages would queue.
 */
export async function bridgePage(page: Page, controller: SessionsController, version = '0.0.0-test'): Promise<{ dispose(): void }> {
  for (const method of BRIDGE_INVOKE_METHODS) {
    await page.exposeBinding(`${BINDING_PREFIX}${method}`, (_source, ...args: unknown[]) => invoke(controller, method, args));
  }
  await page.addInitScript(installBridge, { version, prefix: BINDING_PREFIX, methods: [...BRIDGE_INVOKE_METHODS] });
  let delivery = Promise.resolve();
  const subscription = controller.onEvent((event: BridgeEvent) => {
    delivery = delivery
      .then(() => page.evaluate((payload) => (window as unknown as { __latchkeyDeliver(e: unknown): void }).__latchkeyDeliver(payload), event))
      .catch(() => undefined); // The page closed or navigated: nothing left to tell it.
  });
  return { dispose: () => void subscription.dispose() };
}

function invoke(controller: SessionsController, method: BridgeInvokeMethod, args: unknown[]): Promise<unknown> {
  switch (method) {
    case 'listSessions':
      return controller.listSessions();
    case 'startSignIn':
      return controller.startSignIn(args[0], args[1]);
    case 'listAccounts':
      return controller.listAccounts(args[0], args[1]);
    case 'recentRoles':
      return controller.recentRoles();
    default:
      return controller[method](args[0]);
  }
}

/** Runs in the page before any of its scripts (serialized by Playwright: no closures). */
function installBridge({ version, prefix, methods }: { version: string; prefix: string; methods: string[] }): void {
  type Listener = (event: unknown) => void;
  const page = window as unknown as Record<string, unknown>;
  const listeners = new Set<Listener>();
  const backlog: unknown[] = [];
  page.__latchkeyDeliver = (event: unknown): void => {
    if (listeners.size === 0) backlog.push(event);
    for (const listener of [...listeners]) listener(event);
  };
  const bridge: Record<string, unknown> = {
    version,
    onEvent(listener: Listener): () => void {
      listeners.add(listener);
      for (const event of backlog.splice(0)) listener(event);
      return () => listeners.delete(listener);
    },
  };
  for (const method of methods) {
    bridge[method] = (...args: unknown[]) => (page[`${prefix}${method}`] as (...a: unknown[]) => Promise<unknown>)(...args);
  }
  Object.defineProperty(window, 'latchkey', { value: Object.freeze(bridge), enumerable: true });
}
