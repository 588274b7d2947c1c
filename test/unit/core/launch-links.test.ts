import { describe, expect, it } from 'vitest';
import { LaunchLinks, launchLinkReusedError, LAUNCH_LINK_REUSED_MESSAGE } from '../../../main/core/launch-links';

const TARGET = 'https://oidc.us-east-1.amazonaws.com/authorize?state=secret-state&code_challenge=secret-challenge';

function pathOf(link: string): string {
  return new URL(link).pathname;
}

describe('launch links', () => {
  it('are 128-bit random paths on the loopback authority, carrying nothing of the page they lead to', () => {
    const links = new LaunchLinks('127.0.0.1:50123', TARGET);
    const minted = Array.from({ length: 50 }, () => links.mint());
    expect(new Set(minted).size).toBe(50);
    for (const link of minted) {
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:50123\/[A-Za-z0-9_-]{22}$/);
      expect(link).not.toMatch(/secret|state|challenge/);
    }
  });

  it('redirect on the first fetch and report a reuse on every later one', () => {
    const links = new LaunchLinks('127.0.0.1:50123', TARGET);
    const link = links.mint();
    expect(links.isLive(link)).toBe(true);
    expect(links.answer(pathOf(link))).toEqual({ kind: 'redirect', location: TARGET });
    expect(links.isLive(link)).toBe(false);
    expect(links.answer(pathOf(link))).toEqual({ kind: 'reused' });
    expect(links.answer(pathOf(link))).toEqual({ kind: 'reused' });
  });

  it('count each link on its own: a second opening of the page gets a link of its own', () => {
    const links = new LaunchLinks('127.0.0.1:50123', TARGET);
    const [first, second] = [links.mint(), links.mint()];
    expect(links.answer(pathOf(first))).toMatchObject({ kind: 'redirect' });
    expect(links.answer(pathOf(second))).toMatchObject({ kind: 'redirect' });
  });

  it.each([
    ['the root', '/'],
    ['a favicon', '/favicon.ico'],
    ['the callback', '/oauth/callback'],
    ['a guess one character off', 'PLACEHOLDER'],
  ])('leave other paths (%s) to the server, uncounted', (_name, path) => {
    const links = new LaunchLinks('127.0.0.1:50123', TARGET);
    const link = links.mint();
    const probe = path === 'PLACEHOLDER' ? `${pathOf(link).slice(0, -1)}${pathOf(link).endsWith('A') ? 'B' : 'A'}` : path;
    expect(links.answer(probe)).toEqual({ kind: 'not-launch' });
    expect(links.answer(pathOf(link))).toMatchObject({ kind: 'redirect' });
  });

  it('lead nowhere once the sign-in has ended, and still tell of a reuse', () => {
    const links = new LaunchLinks('127.0.0.1:50123', TARGET);
    const [fetched, unopened] = [links.mint(), links.mint()];
    links.answer(pathOf(fetched));
    links.end();
    expect(links.isLive(unopened)).toBe(false);
    expect(links.answer(pathOf(unopened))).toEqual({ kind: 'finished' });
    expect(links.answer(pathOf(fetched))).toEqual({ kind: 'reused' });
  });

  it('live means exactly a minted link of this authority, nothing around it', () => {
    const links = new LaunchLinks('127.0.0.1:50123', TARGET);
    const link = links.mint();
    for (const other of [`${link}?x=1`, link.replace('50123', '50124'), link.replace('127.0.0.1', 'localhost'), 'http://127.0.0.1:50123/']) {
      expect(links.isLive(other)).toBe(false);
    }
  });

  it('stop a sign-in with one sentence that says what happened and what to do', () => {
    const error = launchLinkReusedError();
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe(LAUNCH_LINK_REUSED_MESSAGE);
    expect(error.message.split('. ')).toHaveLength(1);
  });
});
