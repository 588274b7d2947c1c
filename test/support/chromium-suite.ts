import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, buildRenderer, serveDirectory } from './renderer-harness';

/**
 * Whether a Chromium suite runs here: Debian's Chromium is installed, or CI requires it
 * (LATCHKEY_REQUIRE_BROWSER=1), where a missing one must fail rather than skip. Says why
 * when the suite skips.
 */
export function chromiumSuiteRuns(what: string): boolean {
  if (existsSync(CHROMIUM) || process.env.LATCHKEY_REQUIRE_BROWSER === '1') return true;
  console.warn(`Skipping ${what}: ${CHROMIUM} is missing (apt-get install chromium).`);
  return false;
}

export type Cleanup = () => Promise<unknown> | unknown;

export interface ChromiumSuite {
  /** The one browser of the suite (set once `beforeAll` ran). */
  readonly browser: Browser;
  /** The real renderer, built and served on loopback. */
  readonly url: string;
  /** What a test opened, closed in reverse order after it. */
  readonly cleanups: Cleanup[];
}

/**
 * Registers, inside a `describe`, what every Chromium suite shares: the renderer built
 * and served once, one browser, the screenshots folder, and per-test cleanups.
 */
export function useChromiumSuite(): ChromiumSuite {
  let browser: Browser | undefined;
  let site: { url: string; close(): Promise<void> } | undefined;
  let renderer: { dir: string; dispose(): Promise<void> } | undefined;
  const cleanups: Cleanup[] = [];

  beforeAll(async () => {
    renderer = await buildRenderer();
    site = await serveDirectory(renderer.dir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await renderer?.dispose();
  });

  return {
    get browser(): Browser {
      if (browser === undefined) throw new Error('The Chromium suite has not started: use its browser inside a test.');
      return browser;
    },
    get url(): string {
      if (site === undefined) throw new Error('The Chromium suite has not started: use its URL inside a test.');
      return site.url;
    },
    cleanups,
  };
}
