import { createHash } from 'node:crypto';
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsSsoCacheFilePath, readAwsSsoCacheFile, writeAwsSsoCacheFile } from '../../../main/aws/aws-sso-cache-file';
import { isLatchkeyError } from '../../../main/core/errors';
import { makeFifo, releaseFifo, within } from '../../support/fifo';
import { createSecondUser, secondUserSkipReason, type SecondUser } from '../../support/second-user';

/** The AWS CLI's SSO cache file: where it lives, its format on disk, and what other users or a hostile process may have planted at its paths. */

let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'latchkey-sso-cache-'));
});

afterEach(async () => {
  await releaseFifo(awsSsoCacheFilePath(home, 'corp'));
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

const cacheDir = (): string => join(home, '.aws', 'sso', 'cache');
const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;
const isRoot = process.getuid?.() === 0;

describe('reading the AWS CLI SSO cache file', () => {
  it('reads nothing, at once, from a FIFO at the cache path', async () => {
    const path = awsSsoCacheFilePath(home, 'corp');
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    makeFifo(path);
    await expect(within(readAwsSsoCacheFile(home, 'corp'), 2000, 'reading a FIFO')).resolves.toBeUndefined();
  });

  it('does not follow a symlink at the cache path to another file', async () => {
    const path = await writeAwsSsoCacheFile(home, 'corp', ENTRY);
    const elsewhere = join(home, 'planted.json');
    await rename(path, elsewhere);
    await symlink(elsewhere, path);
    expect(await readAwsSsoCacheFile(home, 'corp')).toBeUndefined();
  });

  it('reads nothing from a cache file larger than 64 KiB', async () => {
    const path = await writeAwsSsoCacheFile(home, 'corp', ENTRY);
    const entry = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
    await writeFile(path, JSON.stringify({ ...entry, padding: 'x'.repeat(64 * 1024) }));
    expect(await readAwsSsoCacheFile(home, 'corp')).toBeUndefined();
  });

  it.skipIf(!isRoot)('reads nothing from a cache file that belongs to another user', async () => {
    const path = await writeAwsSsoCacheFile(home, 'corp', ENTRY);
    await chown(path, 54_321, 54_321);
    expect(await readAwsSsoCacheFile(home, 'corp')).toBeUndefined();
  });

  it('still reads the file it wrote', async () => {
    await writeAwsSsoCacheFile(home, 'corp', ENTRY);
    expect((await readAwsSsoCacheFile(home, 'corp'))?.accessToken).toBe('at');
  });
});

describe('the AWS CLI SSO cache directory', () => {
  it('is tightened to 0700, with ~/.aws/sso, when group or others may write it, before reading', async () => {
    const path = await writeAwsSsoCacheFile(home, 'corp', ENTRY);
    await chmod(join(home, '.aws', 'sso'), 0o777);
    await chmod(cacheDir(), 0o777);
    expect((await readAwsSsoCacheFile(home, 'corp'))?.accessToken).toBe('at');
    expect(await mode(join(home, '.aws', 'sso'))).toBe(0o700);
    expect(await mode(cacheDir())).toBe(0o700);
    expect(await mode(path)).toBe(0o600);
  });

  it('is tightened to 0700 before writing', async () => {
    await mkdir(cacheDir(), { recursive: true });
    await chmod(cacheDir(), 0o777);
    await writeAwsSsoCacheFile(home, 'corp', ENTRY);
    expect(await mode(cacheDir())).toBe(0o700);
  });

  it('is left as it is when only readable by others, as the AWS CLI creates it (0755)', async () => {
    await mkdir(cacheDir(), { recursive: true });
    await chmod(cacheDir(), 0o755);
    await writeAwsSsoCacheFile(home, 'corp', ENTRY);
    expect(await mode(cacheDir())).toBe(0o755);
  });
});

describe.skipIf(secondUserSkipReason() !== undefined)('a cache directory of another user', () => {
  let other: SecondUser;

  beforeAll(async () => {
    other = await createSecondUser();
  });

  afterAll(async () => {
    await other.remove();
  });

  it('is refused: nothing is read from it and nothing written to it', async () => {
    const path = await writeAwsSsoCacheFile(home, 'corp', ENTRY);
    await chown(cacheDir(), other.uid, other.gid);
    const read = await readAwsSsoCacheFile(home, 'corp').catch((error: unknown) => error);
    expect(isLatchkeyError(read, 'config_error')).toBe(true);
    expect((read as Error).message).toContain(cacheDir());
    await rm(path);
    const written = await writeAwsSsoCacheFile(home, 'other', ENTRY).catch((error: unknown) => error);
    expect(isLatchkeyError(written, 'config_error')).toBe(true);
    await expect(lstat(awsSsoCacheFilePath(home, 'other'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('is refused when ~/.aws/sso/cache is a symlink to it', async () => {
    await writeAwsSsoCacheFile(home, 'corp', ENTRY);
    const theirs = join(home, 'theirs');
    await rename(cacheDir(), theirs);
    await symlink(theirs, cacheDir());
    await chown(theirs, other.uid, other.gid);
    const read = await readAwsSsoCacheFile(home, 'corp').catch((error: unknown) => error);
    expect(isLatchkeyError(read, 'config_error')).toBe(true);
    const written = await writeAwsSsoCacheFile(home, 'other', ENTRY).catch((error: unknown) => error);
    expect(isLatchkeyError(written, 'config_error')).toBe(true);
  });

  it('is refused when ~/.aws/sso belongs to another user', async () => {
    await writeAwsSsoCacheFile(home, 'corp', ENTRY);
    await chown(join(home, '.aws', 'sso'), other.uid, other.gid);
    const read = await readAwsSsoCacheFile(home, 'corp').catch((error: unknown) => error);
    expect(isLatchkeyError(read, 'config_error')).toBe(true);
    expect((read as Error).message).toContain(join(home, '.aws', 'sso'));
  });
});
