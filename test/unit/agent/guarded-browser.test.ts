import { describe, expect, it } from 'vitest';
import { guardedBrowser } from '../../../main/agent/guarded-browser';
import { isLatchkeyError } from '../../../main/core/errors';
import { LaunchLinkRegistry, type LaunchSite } from '../../../main/core/launch-link-registry';
import { LaunchLinks } from '../../../main/core/launch-links';
import { silentLogger } from '../../../main/core/logger';

const corp = { startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1' };

/** A launch site without a socket: the links of one sign-in page, on a made-up port. */
function siteFor(target: string): LaunchSite & { links: LaunchLinks } {
  const links = new LaunchLinks('127.0.0.1:50123', target);
  return { links, mint: () => links.mint(), isLive: (url) => links.isLive(url), dispose: () => undefined };
}

/** `pages` are the sign-in pages of sign-ins in flight; `opened` what reached the real opener. */
function browser(env: Record<string, string> = {}, pages: readonly string[] = []) {
  const opened: string[] = [];
  const launchLinks = new LaunchLinkRegistry();
  const sites = new Map(pages.map((page) => [page, siteFor(page)]));
  for (const [page, site] of sites) launchLinks.add(page, site);
  const open = guardedBrowser({ sessions: async () => [corp], env, logger: silentLogger, launchLinks, open: async (url) => void opened.push(url) });
  /** Where the link opened at `index` leads: its first fetch's redirect. */
  const leadsTo = (index: number): string | undefined => {
    const url = new URL(opened[index] ?? 'http://127.0.0.1:1/none');
    for (const site of sites.values()) {
      const answer = site.links.answer(url.pathname);
      if (answer.kind === 'redirect') return answer.location;
    }
    return undefined;
  };
  return { open, opened, leadsTo };
}

describe('the browser the agent opens', () => {
  it.each([
    ['the device verification page of the session region', 'https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH'],
    ['the start URL', 'https://corp.awsapps.com/start/#/device'],
    ['the OIDC authorize page', 'https://oidc.eu-west-1.amazonaws.com/authorize?response_type=code'],
  ])('leads to %s through a one-shot launch link, never handing the page itself to the opener', async (_name, url) => {
    const { open, opened, leadsTo } = browser({}, [url]);
    await open(url);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(/^http:\/\/127\.0\.0\.1:50123\/[A-Za-z0-9_-]{22}$/);
    expect(leadsTo(0)).toBe(url);
  });

  it('hands out a fresh link for each opening of the same page', async () => {
    const page = 'https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH';
    const { open, opened } = browser({}, [page]);
    await open(page);
    await open(page);
    expect(new Set(opened).size).toBe(2);
  });

  it('opens nothing for a page of no sign-in in flight (it ended, or never was)', async () => {
    const { open, opened } = browser({}, ['https://device.sso.eu-west-1.amazonaws.com/?user_code=AAAA-AAAA']);
    const error = await open('https://device.sso.eu-west-1.amazonaws.com/?user_code=BBBB-BBBB').catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'not_found')).toBe(true);
    expect(opened).toEqual([]);
  });

  it('leads to the emulator only when an endpoint override points at it', async () => {
    const page = 'http://127.0.0.1:4000/device?user_code=ABCD-EFGH';
    const { open, opened } = browser({ AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:4000' }, [page]);
    await open(page);
    await expect(browser({}, [page]).open(page)).rejects.toThrow(/opens only the AWS sign-in pages/);
    expect(opened).toHaveLength(1);
  });

  it.each([
    ['a page of another host a hostile upstream names', 'https://evil.example/device?user_code=ABCD-EFGH'],
    ['a look-alike host', 'https://device.sso.eu-west-1.amazonaws.com.evil.example/'],
    ['a whole registrable domain', 'https://attacker-bucket.s3-website.eu-west-1.amazonaws.com/'],
    ['user info dressed as AWS', 'https://device.sso.eu-west-1.amazonaws.com@evil.example/'],
    ['plain http', 'http://device.sso.eu-west-1.amazonaws.com/'],
    ['a file URL', 'file:///etc/passwd'],
  ])('refuses %s without opening anything', async (_name, url) => {
    const { open, opened } = browser({}, [url]);
    const error = await open(url).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'forbidden')).toBe(true);
    expect(opened).toEqual([]);
  });
});
