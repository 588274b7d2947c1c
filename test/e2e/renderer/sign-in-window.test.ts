import { type BrowserContext, type Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import type { SignInFlow } from '../../../main/core/client-registrar';
import { systemClock } from '../../../main/core/clock';
import type { SessionEvent } from '../../../main/core/session-events';
import { SessionsController } from '../../../main/core/sessions-controller';
import type { SsoSessionSettings } from '../../../main/core/sso-session-settings';
import { startEmulator, type EmulatorOptions } from '../../emulator/emulator';
import { EmulatorAdmin } from '../../support/emulator-admin';
import { engineOnEmulator } from '../../support/engine-on-emulator';
import { chromiumSuiteRuns, useChromiumSuite } from '../../support/chromium-suite';
import { SCREENSHOTS, WINDOW, bridgePage } from '../../support/renderer-harness';

const runs = chromiumSuiteRuns("the renderer's browser tests");

const corp: SsoSessionSettings = {
  name: 'corp',
  startUrl: 'https://d-1234567890.awsapps.com/start',
  region: 'eu-west-1',
  registrationScopes: ['sso:account:access'],
};
const lab: SsoSessionSettings = { ...corp, name: 'lab', startUrl: 'https://d-0987654321.awsapps.com/start' };

describe.runIf(runs)('the sign-in window in Chromium, against the emulator', { timeout: 30_000 }, () => {
  const suite = useChromiumSuite();
  const { cleanups } = suite;

  /** A window over a real SessionsController and SignInEngine, both on a fresh emulator. */
  async function openWindow(options: { emulator?: EmulatorOptions; flow?: SignInFlow; viewport?: { width: number; height: number } } = {}) {
    const emulator = await startEmulator({ port: 0, intervalSeconds: 1, ...options.emulator });
    cleanups.push(() => emulator.close());
    const admin = new EmulatorAdmin(emulator.baseUrl);
    // The "browser" loads the authorize page, which waits there for the person's decision.
    const { engine, dispose } = engineOnEmulator(emulator.baseUrl, { openBrowser: async (url) => void (await fetch(url).catch(() => undefined)) });
    cleanups.push(dispose);
    const events: SessionEvent[] = [];
    engine.events.on((event) => events.push(event));
    const opened: string[] = [];
    const clipboard: string[] = [];
    const controller = new SessionsController({
      engine,
      sessions: () => [corp, lab],
      clock: systemClock,
      openExternal: async (url) => void opened.push(url),
      writeClipboard: (text) => void clipboard.push(text),
      clientName: 'Latchkey on test-host',
      chooseFlow: () => options.flow ?? 'device-code',
      clockLocale: 'en-US',
    });
    cleanups.push(() => controller.dispose());
    const context: BrowserContext = await suite.browser.newContext({ viewport: options.viewport ?? WINDOW, deviceScaleFactor: 2, reducedMotion: 'reduce' });
    cleanups.push(() => context.close());
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const bridge = await bridgePage(page, controller);
    cleanups.push(() => bridge.dispose());
    await page.goto(suite.url);
    await page.locator('.session-row').first().waitFor();

    const codes = (): string[] =>
      events.flatMap((e) => (e.type === 'sign-in-progress' && e.progress.type === 'code-issued' ? [e.progress.userCode] : []));
    const issued = () => {
      for (const e of [...events].reverse()) if (e.type === 'sign-in-progress' && e.progress.type === 'code-issued') return e.progress;
      throw new Error('no code issued yet');
    };
    return { page, admin, engine, controller, events, opened, clipboard, pageErrors, codes, issued };
  }

  async function signInWithCode(page: Page, codes: () => string[]): Promise<string> {
    const before = codes().length;
    await page.getByRole('button', { name: 'Sign in: corp' }).click();
    await until(() => codes().length > before);
    const code = codes().at(-1) ?? '';
    await page.locator('#user-code', { hasText: code }).waitFor();
    return code;
  }

  it('shows the code the emulator issued, and reaches the signed-in state once it is approved', async () => {
    const { page, admin, codes, pageErrors, engine } = await openWindow();
    const code = await signInWithCode(page, codes);
    expect(await text(page, '#user-code')).toBe(code);
    expect(await text(page, '#prompt-heading')).toBe('Sign in to corp');
    expect(await text(page, '#prompt-start-url')).toBe(corp.startUrl);
    expect(await text(page, '#code-hint')).toBe('Approve only if the browser shows this\u00a0code.');
    expect(await text(page, '#client-name')).toBe('The AWS page names this app “Latchkey on test-host”.');
    expect(await text(page, '[role="timer"]')).toMatch(/^Code expires in (10:00|9:\d\d)$/);
    await page.waitForFunction(() => document.getElementById('announce')?.textContent?.startsWith('Sign-in code ready'));

    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: `${SCREENSHOTS}/prompt-light.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SCREENSHOTS}/prompt-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    await admin.call('POST', 'approve', { userCode: code });
    await page.getByRole('heading', { name: 'Signed in to corp' }).waitFor();
    // The emulator gives this session a refresh token: the one-hour credentials are not the story.
    const renews = 'Latchkey renews it by itself; you sign in again only when AWS ends the sign-in.';
    expect(await text(page, '#state-text')).toBe(renews);
    await page.waitForFunction((line) => document.getElementById('announce')?.textContent === `Signed in to corp. ${line}`, renews);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('done');
    await page.screenshot({ path: `${SCREENSHOTS}/approved-light.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SCREENSHOTS}/approved-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    await page.keyboard.press('Enter');
    await page.locator('#sessions').waitFor();
    const row = page.locator('.session-row[data-session="corp"]');
    expect(await row.locator('.session-state-word').textContent()).toBe('Signed in');
    expect(await row.locator('.session-detail').textContent()).toBe('renews by itself');
    expect(engine.isSigningIn('corp')).toBe(false);
    await page.screenshot({ path: `${SCREENSHOTS}/sessions-light.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('copies the code, opens the complete verification URL, copies the plain one, and draws the QR code', async () => {
    const { page, codes, issued, clipboard, opened, pageErrors } = await openWindow();
    const code = await signInWithCode(page, codes);
    await page.getByRole('button', { name: 'Copy code' }).click();
    await page.getByRole('button', { name: `Copied ${code}` }).waitFor();
    await page.getByRole('button', { name: 'Open the AWS sign-in page' }).click();
    await page.getByRole('button', { name: 'Copy link' }).click();
    await until(() => clipboard.length === 2 && opened.length === 1);
    expect(clipboard).toEqual([code, issued().verificationUri]);
    expect(opened).toEqual([issued().verificationUriComplete]);
    expect(await text(page, '#verification-url')).toBe(issued().verificationUri);

    await page.getByText('Use another device').click();
    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    expect(await qr.locator('path').getAttribute('d')).toMatch(/^M\d/);
    await page.screenshot({ path: `${SCREENSHOTS}/prompt-qr-light.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('says the sign-in was declined and offers Try again, which shows a new code', async () => {
    const { page, admin, codes, pageErrors } = await openWindow();
    const first = await signInWithCode(page, codes);
    await admin.call('POST', 'deny', { userCode: first });
    await page.getByRole('heading', { name: 'Sign-in to corp declined' }).waitFor();
    expect(await text(page, '#state-text')).toBe('Declined in the browser. Nothing was issued.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('try-again');
    await page.waitForFunction(() => document.getElementById('alert')?.textContent?.includes('Declined'));
    expect(await page.locator('#user-code').isVisible()).toBe(false);
    await page.screenshot({ path: `${SCREENSHOTS}/denied-light.png`, fullPage: true });

    await page.getByRole('button', { name: 'Try again' }).click();
    await until(() => codes().length === 2);
    await page.locator('#user-code', { hasText: codes()[1] ?? '' }).waitFor();
    expect(codes()[1]).not.toBe(first);
    expect(pageErrors).toEqual([]);
  });

  it('says the code expired and focuses Get a new code, which asks AWS for another', async () => {
    // A two-second code: the flow's own clock sees it expire after one poll.
    const { page, admin, codes, pageErrors } = await openWindow({ emulator: { deviceCodeTtlSeconds: 2 } });
    await signInWithCode(page, codes);
    await page.getByRole('heading', { name: 'Code for corp expired' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('renew');
    await page.waitForFunction(() => document.getElementById('alert')?.textContent?.includes('expired'));
    await page.screenshot({ path: `${SCREENSHOTS}/expired-light.png`, fullPage: true });

    await page.keyboard.press('Enter');
    await until(() => codes().length === 2);
    expect((await admin.calls()).StartDeviceAuthorization).toBe(2);
    expect(pageErrors).toEqual([]);
  });

  it('announces the last minute and offers a new code, which replaces the running one', async () => {
    const { page, codes, events, pageErrors } = await openWindow({ emulator: { deviceCodeTtlSeconds: 62 } });
    const first = await signInWithCode(page, codes);
    await page.waitForFunction(() => document.getElementById('announce')?.textContent === 'Code expires in 1 minute.', undefined, { timeout: 10_000 });
    const offer = page.locator('.status-block').getByRole('button', { name: 'Get a new code' });
    await offer.click();
    await until(() => codes().length === 2);
    const second = codes()[1] ?? '';
    expect(second).not.toBe(first);
    await page.locator('#user-code', { hasText: second }).waitFor();
    expect(events.filter((e) => e.type === 'sign-in-failed').map((e) => e.type === 'sign-in-failed' && e.code)).toEqual(['cancelled']);
    expect(await text(page, '#state-text')).toBe('Approve in your browser, then come back here.');
    expect(pageErrors).toEqual([]);
  });

  it('shows network trouble with the retry countdown while the code stays usable', async () => {
    const { page, admin, codes, pageErrors } = await openWindow();
    // Five 500s outlast the HTTP client's own retries (MAX_ATTEMPTS), so the flow sees one failed poll.
    await admin.call('POST', 'faults', { operation: 'CreateToken', count: 5, status: 500 });
    const code = await signInWithCode(page, codes);
    await page.locator('#state-text', { hasText: /^Can’t reach AWS\. Retrying in \d+ s\.$/ }).waitFor();
    expect(await page.locator('.state-line[data-phase="network-trouble"]').count()).toBe(1);
    expect(await page.locator('#user-code').isVisible()).toBe(true);
    expect(await text(page, '[role="timer"]')).toMatch(/^Code expires in \d+:\d\d$/);
    await page.screenshot({ path: `${SCREENSHOTS}/network-trouble-light.png`, fullPage: true });
    // Retry now polls again without waiting out the backoff; it gets authorization_pending,
    // and the prompt is back to waiting.
    await page.getByRole('button', { name: 'Retry now' }).click();
    await page.locator('#state-text', { hasText: 'Approve in your browser' }).waitFor({ timeout: 10_000 });
    await admin.call('POST', 'approve', { userCode: code });
    await page.getByRole('heading', { name: 'Signed in to corp' }).waitFor({ timeout: 20_000 });
    expect(pageErrors).toEqual([]);
  });

  it('walks the prompt in the UX order with Tab, opens with Enter and cancels with Esc', async () => {
    const { page, codes, issued, opened, engine, events, pageErrors } = await openWindow();
    await signInWithCode(page, codes);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('prompt-heading');
    const order: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName.toLowerCase() || ''));
    }
    expect(order).toEqual(['user-code', 'copy-code', 'open-page', 'copy-link', 'summary', 'cancel']);

    await page.locator('#prompt-heading').focus();
    await page.keyboard.press('Enter');
    await until(() => opened.length === 1);
    expect(opened).toEqual([issued().verificationUriComplete]);

    await page.keyboard.press('Escape');
    await page.locator('#sessions').waitFor();
    await until(() => events.some((e) => e.type === 'sign-in-failed' && e.code === 'cancelled'));
    await until(() => !engine.isSigningIn('corp'));
    await page.locator('.session-row[data-session="corp"] .session-state-word', { hasText: 'Signed out' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('shows a PKCE sign-in as "continue in your browser" with the authorize link and no code', async () => {
    const { page, admin, events, opened, pageErrors } = await openWindow({ flow: 'pkce' });
    await page.getByRole('button', { name: 'Sign in: corp' }).click();
    await page.getByText('Continue in your browser', { exact: true }).waitFor();
    expect(await page.locator('#user-code').isVisible()).toBe(false);
    expect(await page.locator('#copy-code').isVisible()).toBe(false);
    expect(await text(page, '[role="timer"]')).toMatch(/^Sign-in link expires in \d+:\d\d$/);
    await page.screenshot({ path: `${SCREENSHOTS}/prompt-pkce-light.png`, fullPage: true });

    // The app opens the browser by itself for PKCE; the button opens it again.
    await until(() => opened.length === 1);
    await page.getByRole('button', { name: 'Open the AWS sign-in page' }).click();
    await until(() => opened.length === 2);
    const browserOpening = events.find((e) => e.type === 'sign-in-progress' && e.progress.type === 'browser-opening');
    const authorizeUrl = browserOpening?.type === 'sign-in-progress' && browserOpening.progress.type === 'browser-opening' && browserOpening.progress.authorizeUrl;
    expect(opened).toEqual([authorizeUrl, authorizeUrl]);

    let pending: string[] = [];
    await until(async () => {
      pending = ((await admin.call('GET', 'pending')) as { authorizeUserCodes: string[] }).authorizeUserCodes;
      return pending.length > 0;
    });
    await admin.call('POST', 'approve', { userCode: pending[0] });
    await page.getByRole('heading', { name: 'Signed in to corp' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('lists sessions needing attention first, with state as icon and word', async () => {
    const { page, controller, pageErrors } = await openWindow();
    expect(await page.locator('.session-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session')))).toEqual(['corp', 'lab']);
    controller.markNeedsAttention('lab');
    await page.locator('.session-row').first().locator('.session-state-word', { hasText: 'Needs sign-in' }).waitFor();
    expect(await page.locator('.session-row').first().getAttribute('data-session')).toBe('lab');
    expect(await page.locator('.session-row[data-session="lab"] svg[aria-hidden="true"]').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it('reflows at 200% zoom: the prompt and the list never scroll sideways', async () => {
    const { page, codes, pageErrors } = await openWindow({ viewport: { width: WINDOW.width / 2, height: WINDOW.height / 2 } });
    const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    expect(await noSideways()).toBe(true);
    await signInWithCode(page, codes);
    await page.getByText('Use another device').click();
    expect(await noSideways()).toBe(true);
    const codeBox = await page.locator('#user-code').boundingBox();
    expect(codeBox?.height ?? 0).toBeLessThan(60); // still one line
    await page.screenshot({ path: `${SCREENSHOTS}/prompt-zoom-200.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).textContent()) ?? '';
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
