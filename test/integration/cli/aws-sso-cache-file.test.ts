import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsSsoCacheFilePath, readAwsSsoCacheFile, writeAwsSsoCacheFile } from '../../../main/aws/aws-sso-cache-file';

let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'latchkey-sso-cache-'));
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const ENTRY = {
  startUrl: 'https://corp.awsapps.com/start',
  region: 'eu-west-1',
  accessToken: 'at',
  expiresAtMs: Date.UTC(2026, 0, 1, 8),
  clientId: 'cid',
  clientSecret: 'cs',
  registrationExpiresAtMs: Date.UTC(2026, 3, 1),
  refreshToken: 'rt',
};

describe('AWS CLI SSO cache file', () => {
  it('lives at ~/.aws/sso/cache/<sha1(session)>.json', () => {
    const sha1 = createHash('sha1').update('corp').digest('hex');
    expect(awsSsoCacheFilePath(home, 'corp')).toBe(join(home, '.aws', 'sso', 'cache', `${sha1}.json`));
    // The AWS CLI's own example: sha1("my-sso") (botocore SSOTokenProvider._generate_cache_key).
    expect(awsSsoCacheFilePath('/h', 'my-sso')).toBe(`/h/.aws/sso/cache/${createHash('sha1').update('my-sso').digest('hex')}.json`);
  });

  it('writes mode 0600 in a 0700 directory, atomically, and reads it back', async () => {
    const path = await writeAwsSsoCacheFile(home, 'corp', ENTRY);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, '.aws', 'sso', 'cache'))).mode & 0o777).toBe(0o700);
    expect(Object.keys(JSON.parse(await readFile(path, 'utf8')) as object)).toEqual([
      'startUrl', 'region', 'accessToken', 'expiresAt', 'clientId', 'clientSecret', 'registrationExpiresAt', 'refreshToken',
    ]);
    await writeAwsSsoCacheFile(home, 'corp', { ...ENTRY, accessToken: 'at2' });
    expect(await readdir(join(home, '.aws', 'sso', 'cache'))).toHaveLength(1);
    expect((await readAwsSsoCacheFile(home, 'corp'))?.accessToken).toBe('at2');
  });

  it('reads nothing when there is no file', async () => {
    expect(await readAwsSsoCacheFile(home, 'nope')).toBeUndefined();
  });
});
