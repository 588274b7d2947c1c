import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import type { BridgeEvent } from '../../../main/core/bridge';
import { guardedBrowser } from '../../../main/agent/guarded-browser';
import { systemClock } from '../../../main/core/clock';
import { LaunchLinkRegistry } from '../../../main/core/launch-link-registry';
import { silentLogger } from '../../../main/core/logger';
import { SessionsController } from '../../../main/core/sessions-controller';
import type { SsoSessionSettings } from '../../../main/core/sso-session-settings';
import { AgentHarness } from '../../integration/agent/agent-harness';
import { chromiumSuiteRuns, useChromiumSuite } from '../../support/chromium-suite';
import { SCREENSHOTS, WINDOW, bridgePage } from '../../support/renderer-harness';

// The account browser in Chromium over a real agent and the emulator holding 500 accounts:
// the window's SessionsController gets its role actions from the running agent, as the
// desktop app wires it, and the console opens in a second Chromium page that follows the
// launch link and the federation endpoint to the destination. The timings are printed, not
// asserted: a loaded CI machine must not turn a slow run into a failure.

const runs = chromiumSuiteRuns("the account browser's tests");

const corp: SsoSessionSettings = { name: 'corp', startUrl: 'https://corp.example.com/start', region: 'us-east-1', registrationScopes: ['sso:account:access'] };
const TEAMS = ['payments', 'search', 'identity', 'billing', 'ledger', 'mobile', 'web', 'data', 'ml', 'infra'];
const STAGES = ['prod', 'staging', 'dev', 'sandbox', 'qa'];

/** 500 accounts named as organisations name them: team-stage-number, prod with ReadOnly and Admin. */
function directory(): { accountId: string; accountName: string; roles: string[] }[] {
  return Array.from({ length: 500 }, (_, i) => {
    const stage = STAGES[i % STAGES.length] ?? 'dev';
    const team = TEAMS[Math.floor(i / STAGES.length) % TEAMS.length] ?? 'web';
    return {
      accountId: String(300_000_000_000 + i),
      accountName: `${team}-${stage}-${String(Math.floor(i / 50) + 1).padStart(2, '0')}`,
      roles: stage === 'prod' ? ['ReadOnly', 'Admin'] : ['Developer', 'ReadOnly'],
    };
  });
}
const ROLE_COUNT = directory().reduce((sum, account) => sum + account.roles.length, 0);
/** The app's own `latchkey`, as the desktop app hands it to the agent and the window alike. */
const LATCHKEY = '/opt/Latchkey/latchkey';
const CONSOLE_HOME = 'https://console.aws.amazon.com/console/home?region=us-east-1';

describe.runIf(runs)('the account browser in Chromium, against the emulator with 500 accounts', { timeout: 60_000 }, () => {
  const suite = useChromiumSuite();
  const { cleanups } = suite;

  /**
   * A signed-in agent over 500 accounts, and the window over a SessionsController wired to
   * it. Each console opens in a new page of the window's browser, listed in `consoleVisits`.
   */
  async function openWindow(options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {}) {
    const context = await suite.browser.newContext({ viewport: options.viewport ?? WINDOW, deviceScaleFactor: 2, reducedMotion: 'reduce', colorScheme: options.colorScheme ?? 'light' });
    cleanups.push(() => context.close());
    const consoleVisits: { page: Page; requested: string[] }[] = [];
    // As in the desktop app: pages open through the URL guard, which hands the browser a
    // one-shot launch link; here the "browser" is a new Chromium page.
    const launchLinks = new LaunchLinkRegistry();
    cleanups.push(() => launchLinks.dispose());
    const late: { guarded?: (url: string) => Promise<void> } = {};
    const h = await AgentHarness.start({
      agent: {
        launchLinks,
        latchkeyCommand: [LATCHKEY],
        openBrowser: async (url) => {
          if (url.includes('/authorize?')) {
            await fetch(url).then((response) => response.text());
            return;
          }
          if (late.guarded === undefined) throw new Error('No browser for the console yet.');
          await late.guarded(url);
        },
      },
    });
    late.guarded = guardedBrowser({
      sessions: () => [corp],
      env: h.env,
      logger: silentLogger,
      launchLinks,
      open: async (link) => {
        const page = await context.newPage();
        const visit = { page, requested: [] as string[] };
        page.on('request', (request) => void visit.requested.push(request.url()));
        consoleVisits.push(visit);
        // The console itself is out of reach (no internet, and this Playwright does not
        // intercept a navigation's redirects), so the load ends there in a DNS error: what
        // counts is that the browser was sent to the destination, signed in.
        await page.goto(link).catch(() => undefined);
      },
    });
    cleanups.push(() => h.close());
    await h.emulatorAdmin('POST', 'directory', { accounts: directory() });
    expect((await h.signIn()).status).toBe(200);

    const clipboard: string[] = [];
    const events: BridgeEvent[] = [];
    const controller = new SessionsController({
      engine: h.agent.engine,
      sessions: () => [corp],
      clock: systemClock,
      openExternal: async () => undefined,
      writeClipboard: (text) => void clipboard.push(text),
      clientName: 'Latchkey on test-host',
      chooseFlow: () => 'pkce',
      clockLocale: 'en-GB',
      roles: { actions: h.agent.roles, latchkeyCommand: [LATCHKEY], dialect: 'posix' },
    });
    cleanups.push(() => controller.dispose());
    controller.onEvent((event) => void events.push(event));

    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    const bridge = await bridgePage(page, controller);
    cleanups.push(() => bridge.dispose());
    return { h, page, controller, clipboard, events, consoleVisits, pageErrors };
  }

  /** Milliseconds from the page's navigation start until the first 50 role rows are drawn. */
  async function firstRowsMs(page: Page): Promise<number> {
    await page.locator('.role-row').nth(49).waitFor();
    return page.evaluate(() => performance.now());
  }

  /** Types into the search and returns how long the page took from the keystroke to the narrowed list. */
  async function searchMs(page: Page, text: string, expectedRows: number): Promise<number> {
    return page.evaluate(
      async ({ text: query, expectedRows: rows }) => {
        const input = document.getElementById('account-search') as HTMLInputElement;
        const started = performance.now();
        input.value = query;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        // The browser redraws synchronously on input; wait one frame so layout is counted too.
        await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
        const drawn = document.querySelectorAll('.role-row').length;
        if (drawn !== rows) throw new Error(`expected ${rows} rows after searching ${query}, drew ${drawn}`);
        return performance.now() - started;
      },
      { text, expectedRows },
    );
  }

  it('draws the first 50 of 1000 roles from the kept listing, says how many more, and a search narrows them at once', async () => {
    const { h, page, pageErrors } = await openWindow();
    // The agent listed once when the window first asked; opening the window again reuses it.
    await page.goto(suite.url);
    const firstOpenMs = await firstRowsMs(page);
    const callsAfterFirstOpen = await h.calls();
    expect(callsAfterFirstOpen['ListAccounts']).toBe(5);
    await page.reload();
    const secondOpenMs = await firstRowsMs(page);
    expect(await h.calls()).toEqual(callsAfterFirstOpen);

    expect(await page.locator('.role-row').count()).toBe(50);
    expect(await page.locator('#account-count').textContent()).toBe(`500 accounts, ${ROLE_COUNT} roles`);
    expect(await page.locator('.account-more').textContent()).toBe(`and ${ROLE_COUNT - 50} more roles: type in the search to narrow the list.`);
    expect(await page.locator('.account-section-header .account-listed').textContent()).toMatch(/^listed \d{2}:\d{2}$/);

    // payments-prod-01..10 are the accounts 0, 50, ..., 450: ten accounts, ReadOnly and Admin each.
    const byNameMs = await searchMs(page, 'payments prod', 20);
    const byRoleMs = await searchMs(page, 'payments prod admin', 10);
    const byIdMs = await searchMs(page, '300000000450', 2);
    expect(await page.locator('.account-name').allTextContents()).toEqual(['payments-prod-10']);
    expect(await page.locator('#account-count').textContent()).toBe('2 roles match');
    expect(await page.locator('.account-more').count()).toBe(0);
    await searchMs(page, 'no-such-team', 0);
    expect(await page.locator('.account-note').last().textContent()).toBe('No account or role here matches the search.');
    console.log(
      `account browser, 500 accounts / ${ROLE_COUNT} roles: first 50 rows ${firstOpenMs.toFixed(0)} ms after navigation (first open, listing 500 accounts), ` +
        `${secondOpenMs.toFixed(0)} ms (kept listing); search narrowed in ${byNameMs.toFixed(1)} ms (name), ${byRoleMs.toFixed(1)} ms (name and role), ${byIdMs.toFixed(1)} ms (id)`,
    );
    expect(pageErrors).toEqual([]);
  });

  it('goes from the search to a row and its console with the keyboard alone, landing signed in on the destination', async () => {
    const { h, page, consoleVisits, events, pageErrors } = await openWindow();
    await page.goto(suite.url);
    await firstRowsMs(page);
    await page.locator('#account-search').focus();
    await page.keyboard.type('identity prod read');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('ReadOnly in identity-prod-01 (300000000010)');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('ReadOnly in identity-prod-02 (300000000060)');
    // Tab reaches the current row's buttons, and only those.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Open the AWS console: ReadOnly in identity-prod-02 (300000000060)');
    // Rows are not Tab stops: Shift+Tab leaves the rows in one step, to the session's Reload.
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Reload: list the accounts of corp again');
    await page.locator('#account-search').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');

    await page.locator('#accounts-status', { hasText: 'Opened the AWS console as ReadOnly in identity-prod-02 (300000000060) in your browser.' }).waitFor();
    const visit = consoleVisits[0];
    expect(visit).toBeDefined();
    // Launch link, then the federation endpoint's login, then the destination.
    expect(visit?.requested).toHaveLength(3);
    expect(visit?.requested[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{22}$/);
    expect(visit?.requested[1]).toMatch(new RegExp(`^${h.emulator.baseUrl}/federation\\?Action=login&`));
    expect(visit?.requested[2]).toBe(CONSOLE_HOME);
    expect(await h.emulatorAdmin('GET', 'console-logins')).toMatchObject({
      logins: [{ accountId: '300000000060', roleName: 'ReadOnly', issuer: 'Latchkey', destination: CONSOLE_HOME }],
    });

    // The sign-in URL passed through the console page only: never the window, its events or the log of events.
    const signin = visit?.requested.find((url) => url.includes('SigninToken='));
    const token = new URL(signin ?? 'http://x/').searchParams.get('SigninToken') ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(await page.content()).not.toContain(token);
    expect(JSON.stringify(events)).not.toContain(token);
    expect(JSON.stringify(events)).not.toContain('federation');

    // The role used comes first, in Recent.
    const recent = page.locator('.account-section.recent');
    await recent.waitFor();
    expect(await page.locator('.account-section').first().getAttribute('aria-label')).toBe('Recently used roles');
    expect(await recent.locator('.role-row').getAttribute('aria-label')).toBe('ReadOnly in identity-prod-02 (300000000060)');
    expect(pageErrors).toEqual([]);
  });

  it('copies export commands and a credential_process profile to the clipboard, never to the page, and adds a profile to the AWS config', async () => {
    const { h, page, clipboard, events, pageErrors } = await openWindow();
    await page.goto(suite.url);
    await firstRowsMs(page);
    await searchMs(page, 'search-dev-01', 2);
    // Once used, the role is in Recent too; the buttons here are the session's own.
    const corpAccounts = page.locator('section[aria-label="Accounts of corp"]');

    await corpAccounts.getByRole('button', { name: 'Copy export commands: Developer in search-dev-01 (300000000007)' }).click();
    await page.locator('#accounts-status', { hasText: 'Copied export commands for Developer in search-dev-01 (300000000007).' }).waitFor();
    const exported = clipboard.at(-1) ?? '';
    expect(exported).toMatch(/^export AWS_ACCESS_KEY_ID='ASIAEMUL\d{12}'$/m);
    const secret = /^export AWS_SECRET_ACCESS_KEY='([^']+)'$/m.exec(exported)?.[1] ?? '';
    expect(secret.length).toBeGreaterThan(20);
    expect(await page.content()).not.toContain(secret);
    expect(JSON.stringify(events)).not.toContain(secret);

    await corpAccounts.getByRole('button', { name: 'Copy a credential_process profile: Developer in search-dev-01 (300000000007)' }).click();
    await page.locator('#accounts-status', { hasText: 'Copied a credential_process profile' }).waitFor();
    expect(clipboard.at(-1)).toContain('credential_process = /opt/Latchkey/latchkey credential-process --session corp --account 300000000007 --role Developer');

    await corpAccounts.getByRole('button', { name: 'Add a profile to the AWS config: Developer in search-dev-01 (300000000007)' }).click();
    const added = page.locator('#accounts-status', { hasText: /^Added the profile \S+ to / });
    await added.waitFor();
    const profile = /^Added the profile (\S+) to /.exec((await added.textContent()) ?? '')?.[1] ?? '';
    const config = await readFile(h.env.AWS_CONFIG_FILE, 'utf8');
    expect(config).toContain(
      `[profile ${profile}]\nregion = us-east-1\ncredential_process = /opt/Latchkey/latchkey credential-process --profile ${profile}\nlatchkey_session = corp\nlatchkey_account_id = 300000000007\nlatchkey_role_name = Developer\n`,
    );
    await corpAccounts.getByRole('button', { name: 'Add a profile to the AWS config: Developer in search-dev-01 (300000000007)' }).click();
    await page.locator('#accounts-status', { hasText: `The profile ${profile} for Developer in search-dev-01 (300000000007) is already in ` }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('focuses the search when the tray asks for "Open console…"', async () => {
    const { page, controller } = await openWindow();
    await page.goto(suite.url);
    await firstRowsMs(page);
    await page.locator('.role-row').first().focus();
    controller.focusAccountSearch();
    await page.waitForFunction(() => document.activeElement?.id === 'account-search');
  });

  it('says why a role action failed, in the page, without a secret', async () => {
    const { h, page, pageErrors } = await openWindow();
    await page.goto(suite.url);
    await firstRowsMs(page);
    await h.emulatorAdmin('POST', 'faults', { operation: 'GetSigninToken', status: 400, count: 3 });
    await page.getByRole('button', { name: 'Open the AWS console: Developer in payments-staging-01 (300000000001)' }).click();
    const status = page.locator('#accounts-status.error');
    await status.waitFor();
    expect(await status.textContent()).toMatch(/GetSigninToken failed: the AWS sign-in endpoint refused the role's credentials for a console sign-in \(HTTP 400\)/);
    const sentence = await status.textContent();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe(sentence);
    expect(pageErrors).toEqual([]);
  });

  it.each([
    ['light', WINDOW],
    ['dark', WINDOW],
    ['light', { width: WINDOW.width / 2, height: WINDOW.height / 2 }],
  ] as const)('looks right in %s at %j, never scrolling sideways', async (colorScheme, viewport) => {
    const { page, pageErrors } = await openWindow({ colorScheme, viewport });
    await page.goto(suite.url);
    await firstRowsMs(page);
    await searchMs(page, 'payments prod', 20);
    await page.locator('.role-row').first().focus();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    const zoom = viewport.width === WINDOW.width ? '' : '-zoom-200';
    await page.screenshot({ path: `${SCREENSHOTS}/account-browser-${colorScheme}${zoom}.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
