import { type Locator, type Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../../main/core/emitter';
import type { SessionEvent } from '../../../main/core/session-events';
import type { SignOutOutcome, TokenStatus } from '../../../main/core/session-tokens';
import { SessionsController, type SessionsEngine } from '../../../main/core/sessions-controller';
import type { SsoSessionSettings } from '../../../main/core/sso-session-settings';
import { FakeClock } from '../../support/fake-clock';
import { chromiumSuiteRuns, useChromiumSuite } from '../../support/chromium-suite';
import { SCREENSHOTS, WINDOW, bridgePage } from '../../support/renderer-harness';

// The sessions list and the approved screen in Chromium, in every state a session can be
// in, at a fixed moment in UTC: the times on screen are exact, on any machine, any day.

const runs = chromiumSuiteRuns("the sessions list's browser tests");

/** Saturday 28 November 2026, 16:50 UTC; the session that cannot renew ends at 17:42. */
const NOW_MS = Date.UTC(2026, 10, 28, 16, 50);
const ENDS_MS = Date.UTC(2026, 10, 28, 17, 42);

function session(name: string): SsoSessionSettings {
  return { name, startUrl: `https://${name}.awsapps.com/start`, region: 'eu-west-1', registrationScopes: ['sso:account:access'] };
}
const SESSIONS = ['corp', 'legacy', 'lab', 'ops', 'dev'].map(session);

/** Sessions in the states the test sets; a sign-in runs until `approve` ends it. */
class ScriptedEngine implements SessionsEngine {
  readonly events = new Emitter<SessionEvent>();
  readonly statuses = new Map<string, TokenStatus>([
    ['corp', { signedIn: true, accessTokenExpiresAtMs: NOW_MS + 40 * 60_000, refreshable: true }],
    ['legacy', { signedIn: true, accessTokenExpiresAtMs: ENDS_MS, refreshable: false }],
  ]);
  private readonly running = new Map<string, () => void>();

  signIn(settings: SsoSessionSettings): Promise<unknown> {
    return new Promise<void>((resolve) => {
      this.running.set(settings.name, resolve);
      this.events.fire({
        type: 'sign-in-progress',
        session: settings.name,
        progress: { type: 'code-issued', userCode: 'BCDF-GHJK', verificationUri: 'https://v.example', verificationUriComplete: 'https://v.example/?c', expiresAtMs: NOW_MS + 600_000 },
      });
    });
  }

  /** Keeps `name` signing in, as a sign-in started in a terminal would. */
  startElsewhere(name: string): void {
    this.running.set(name, () => undefined);
  }

  approve(name: string, status: { accessTokenExpiresAtMs: number; refreshable: boolean }): void {
    this.statuses.set(name, { signedIn: true, ...status });
    this.events.fire({ type: 'signed-in', session: name, ...status });
    this.running.get(name)?.();
    this.running.delete(name);
  }

  isSigningIn(name: string): boolean {
    return this.running.has(name);
  }

  async status(name: string): Promise<TokenStatus> {
    return this.statuses.get(name) ?? { signedIn: false, refreshable: false };
  }

  /** What the next sign-out answers: AWS told, or not (the portal Logout failed). */
  signOutOutcome: SignOutOutcome = { awsTold: true };

  async signOut(settings: SsoSessionSettings): Promise<SignOutOutcome> {
    this.statuses.delete(settings.name);
    return this.signOutOutcome;
  }

  retryNow(): void {}
}

describe.runIf(runs)('the sessions list in Chromium', { timeout: 30_000 }, () => {
  const suite = useChromiumSuite();
  const { cleanups } = suite;

  /**
   * The window with the app's locale `clockLocale`, in a browser whose own UI language is
   * `pageLocale`: what it shows must follow the first. One session of each state.
   */
  async function openWindow(options: { clockLocale: string; pageLocale: string; viewport?: { width: number; height: number } }) {
    const engine = new ScriptedEngine();
    const controller = new SessionsController({
      engine,
      sessions: () => SESSIONS,
      clock: new FakeClock({ startMs: NOW_MS }),
      openExternal: async () => undefined,
      writeClipboard: () => undefined,
      clientName: 'Latchkey on test-host',
      chooseFlow: () => 'device-code',
      clockLocale: options.clockLocale,
    });
    cleanups.push(() => controller.dispose());
    engine.startElsewhere('dev');
    controller.markNeedsAttention('ops');
    const context = await suite.browser.newContext({
      viewport: options.viewport ?? WINDOW,
      deviceScaleFactor: 2,
      reducedMotion: 'reduce',
      locale: options.pageLocale,
      timezoneId: 'UTC',
    });
    cleanups.push(() => context.close());
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    // The page's clock stands still at NOW_MS; its timers still run.
    await page.clock.setFixedTime(NOW_MS);
    const bridge = await bridgePage(page, controller);
    cleanups.push(() => bridge.dispose());
    await page.goto(suite.url);
    await page.locator('.session-row').nth(SESSIONS.length - 1).waitFor();
    return { page, engine, controller, pageErrors };
  }

  it('shows every state in the same slots, each row with what it needs as its loudest button', async () => {
    const { page, pageErrors } = await openWindow({ clockLocale: 'en-GB', pageLocale: 'en-GB' });
    const rows = page.locator('.session-row');
    expect(await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-session')))).toEqual(['ops', 'corp', 'legacy', 'lab', 'dev']);
    // Same children in the same order, whatever the state.
    for (const slots of await rows.evaluateAll((all) => all.map((row) => [...row.children].map((child) => child.className)))) {
      expect(slots).toEqual(['session-name', 'session-url', 'session-state', 'session-actions']);
    }
    expect(await rowSummary(page)).toEqual({
      ops: { state: 'Needs sign-in', detail: 'a tool is waiting for it', buttons: ['primary Sign in'] },
      corp: { state: 'Signed in', detail: 'renews by itself', buttons: ['secondary Sign out'] },
      legacy: { state: 'Signed in', detail: 'until 17:42 (52 min left)', buttons: ['secondary Sign in again', 'secondary Sign out'] },
      lab: { state: 'Signed out', detail: null, buttons: ['primary Sign in'] },
      dev: { state: 'Signing in', detail: null, buttons: ['primary Show sign-in'] },
    });
    // The buttons of every row start at the same left edge, under the text.
    const lefts = await page.locator('.session-actions').evaluateAll((all) => all.map((node) => node.getBoundingClientRect().left));
    expect(new Set(lefts).size).toBe(1);

    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: `${SCREENSHOTS}/sessions-states-light.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SCREENSHOTS}/sessions-states-dark.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it.each(['light', 'dark'] as const)('draws Sign out as a working button in %s: readable text and a visible border', async (scheme) => {
    const { page } = await openWindow({ clockLocale: 'en-GB', pageLocale: 'en-GB' });
    await page.emulateMedia({ colorScheme: scheme });
    const signOut = page.getByRole('button', { name: 'Sign out: corp' });
    const colors = await signOut.evaluate((node) => {
      const style = getComputedStyle(node);
      return { text: style.color, border: style.borderTopColor, page: getComputedStyle(document.documentElement).backgroundColor, opacity: style.opacity };
    });
    expect(colors.opacity).toBe('1');
    expect(contrast(colors.text, colors.page)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(colors.border, colors.page)).toBeGreaterThanOrEqual(3);
    // Styled like every other secondary button, Sign in again beside it included.
    const again = await page.getByRole('button', { name: 'Sign in again: legacy' }).evaluate((node) => getComputedStyle(node).color);
    expect(colors.text).toBe(again);
  });

  it.each([
    // The app's locale wins over the browser's own language either way.
    ['de-DE', 'en-US', 'until 17:42 (52 min left)'],
    ['en-US', 'de-DE', 'until 5:42 PM (52 min left)'],
  ])('writes times in the locale the app gives (%s), not the page language (%s)', async (clockLocale, pageLocale, detail) => {
    const { page, pageErrors } = await openWindow({ clockLocale, pageLocale });
    expect(await page.locator('.session-row[data-session="legacy"] .session-detail').textContent()).toBe(detail);
    expect(pageErrors).toEqual([]);
  });

  it('says when a sign-in that cannot renew ends, and that it does not renew', async () => {
    const { page, engine, pageErrors } = await openWindow({ clockLocale: 'en-US', pageLocale: 'en-US' });
    await page.getByRole('button', { name: 'Sign in: lab' }).click();
    await page.locator('#user-code', { hasText: 'BCDF-GHJK' }).waitFor();
    // A client without a refresh token gets 8 hours, which here run past midnight.
    engine.approve('lab', { accessTokenExpiresAtMs: NOW_MS + 8 * 3_600_000, refreshable: false });
    await page.getByRole('heading', { name: 'Signed in to lab' }).waitFor();
    expect(await page.locator('#state-text').textContent()).toBe('Credentials until Sun 12:50 AM. This sign-in does not renew by itself.');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: `${SCREENSHOTS}/approved-no-renew-light.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SCREENSHOTS}/approved-no-renew-dark.png`, fullPage: true });

    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.locator('.session-row[data-session="lab"]');
    await row.locator('.session-detail', { hasText: 'until Sun 12:50 AM (8 h left)' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('says under the list when AWS could not be told of a Sign out, and until when the token stays valid there', async () => {
    const { page, engine, pageErrors } = await openWindow({ clockLocale: 'en-GB', pageLocale: 'en-GB' });
    engine.signOutOutcome = { awsTold: false, code: 'network_error', tokenValidUntilMs: ENDS_MS };
    await page.getByRole('button', { name: 'Sign out: corp' }).click();
    await page.locator('.session-row[data-session="corp"] .session-state', { hasText: 'Signed out' }).waitFor();
    await expect.poll(() => page.locator('#sessions-message').textContent()).toBe(
      'AWS could not be told of the sign-out of corp: its access token stays valid at AWS until 17:42. Nothing on this computer holds it any more; to end it sooner, sign out on the AWS access portal.',
    );
    expect(await page.locator('#sessions-message').isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('shows no message for a Sign out AWS was told of', async () => {
    const { page, pageErrors } = await openWindow({ clockLocale: 'en-GB', pageLocale: 'en-GB' });
    await page.getByRole('button', { name: 'Sign out: corp' }).click();
    await page.locator('.session-row[data-session="corp"] .session-state', { hasText: 'Signed out' }).waitFor();
    expect(await page.locator('#sessions-message').isVisible()).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  it('keeps every state on one layout at 200% zoom, without scrolling sideways', async () => {
    const { page, pageErrors } = await openWindow({ clockLocale: 'en-US', pageLocale: 'en-US', viewport: { width: WINDOW.width / 2, height: WINDOW.height / 2 } });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    const lefts = await page.locator('.session-actions').evaluateAll((all) => all.map((node) => node.getBoundingClientRect().left));
    expect(new Set(lefts).size).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/sessions-states-zoom-200.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});

/** Per row: the state word, the detail beside it, and each button as "kind label". */
async function rowSummary(page: Page): Promise<Record<string, { state: string; detail: string | null; buttons: string[] }>> {
  const rows: Locator = page.locator('.session-row');
  const entries = await rows.evaluateAll((all) =>
    all.map((row) => [
      row.getAttribute('data-session') ?? '',
      {
        state: row.querySelector('.session-state-word')?.textContent ?? '',
        detail: row.querySelector('.session-detail')?.textContent ?? null,
        buttons: [...row.querySelectorAll('button')].map((b) => `${b.classList.contains('primary') ? 'primary' : 'secondary'} ${b.textContent ?? ''}`),
      },
    ] as const),
  );
  return Object.fromEntries(entries);
}

/** WCAG 2 contrast ratio of two opaque `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (la + 0.05) / (lb + 0.05);
}

function luminance(color: string): number {
  const channels = /^rgba?\((\d+), (\d+), (\d+)(?:, 1)?\)$/.exec(color)?.slice(1).map(Number);
  if (channels?.length !== 3) throw new Error(`not an opaque rgb() colour: ${color}`);
  const [r, g, b] = channels.map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
