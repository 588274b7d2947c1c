import { describe, expect, it } from 'vitest';
import { guardedBrowser } from '../../../main/agent/guarded-browser';
import { isLatchkeyError } from '../../../main/core/errors';
import { silentLogger } from '../../../main/core/logger';

const corp = { startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1' };

function browser(env: Record<string, string> = {}) {
  const opened: string[] = [];
  const open = guardedBrowser({ sessions: async () => [corp], env, logger: silentLogger, open: async (url) => void opened.push(url) });
  return { open, opened };
}

describe('the browser the agent opens', () => {
  it.each([
    ['the device verification page of the session region', 'https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH'],
    ['the start URL', 'https://corp.awsapps.com/start/#/device'],
    ['the OIDC authorize page', 'https://oidc.eu-west-1.amazonaws.com/authorize?response_type=code'],
  ])('opens %s', async (_name, url) => {
    const { open, opened } = browser();
    await open(url);
    expect(opened).toEqual([url]);
  });

  it('opens the emulator only when an endpoint override points at it', async () => {
    const { open, opened } = browser({ AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:4000' });
    await open('http://127.0.0.1:4000/device?user_code=ABCD-EFGH');
    await expect(browser().open('http://127.0.0.1:4000/device')).rejects.toThrow(/opens only the AWS sign-in pages/);
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
    const { open, opened } = browser();
    const error = await open(url).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'forbidden')).toBe(true);
    expect(opened).toEqual([]);
  });
});
