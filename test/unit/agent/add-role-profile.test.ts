import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addRoleProfile, type AddRoleProfileOptions } from '../../../main/agent/add-role-profile';
import { AWS_CONFIG_MAX_BYTES } from '../../../main/aws/aws-config-file';
import { parseAwsConfig } from '../../../main/core/aws-config';
import { isLatchkeyError } from '../../../main/core/errors';

const USER_CONFIG = '# keep me\n[default]\nregion = eu-west-1   \n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start/#/\nsso_region = eu-west-1\n';
const LATCHKEY = ['/usr/bin/node', '/opt/latchkey/latchkey.mjs'];

let home: string;
let configPath: string;

beforeEach(async () => {
  // Resolved, so that paths compare equal to the realpath the writer reports.
  home = await realpath(await mkdtemp(join(tmpdir(), 'latchkey-add-profile-')));
  configPath = join(home, '.aws', 'config');
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function options(overrides: Partial<AddRoleProfileOptions> = {}): AddRoleProfileOptions {
  return {
    env: { AWS_CONFIG_FILE: configPath },
    homeDir: home,
    platform: 'linux',
    session: 'corp',
    ssoRegion: 'eu-west-1',
    account: { accountId: '111111111111', accountName: 'Development' },
    roleName: 'Developer',
    latchkeyCommand: LATCHKEY,
    ...overrides,
  };
}

async function writeConfig(text: string, mode = 0o644): Promise<void> {
  await mkdir(join(home, '.aws'), { recursive: true });
  await writeFile(configPath, text);
  await chmod(configPath, mode);
}

describe('addRoleProfile', () => {
  it('creates a missing config file with mode 0600 and the profile, and no backup', async () => {
    const added = await addRoleProfile(options());
    expect(added).toEqual({ profile: 'Development-Developer', configFile: configPath, added: true });
    expect((await stat(configPath)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(home, '.aws'))).toEqual(['config']);
    const text = await readFile(configPath, 'utf8');
    expect(text.split('\n')).toEqual([
      '# BEGIN latchkey managed profiles (session corp)',
      '# Written by "latchkey setup-profiles --session corp --region eu-west-1"; run it again to update. Profile names and regions edited here are kept; other edits inside this block are replaced.',
      '[profile Development-Developer]',
      'region = eu-west-1',
      'credential_process = /usr/bin/node /opt/latchkey/latchkey.mjs credential-process --profile Development-Developer',
      'latchkey_session = corp',
      'latchkey_account_id = 111111111111',
      'latchkey_role_name = Developer',
      '# END latchkey managed profiles (session corp)',
      '',
    ]);
  });

  it('quotes the Latchkey command for the AWS clients of Windows on win32', async () => {
    await addRoleProfile(options({ platform: 'win32', latchkeyCommand: ['C:\\Program Files\\Latchkey\\latchkey.exe'] }));
    expect((await readFile(configPath, 'utf8')).split('\n')).toContain(
      'credential_process = "C:\\Program Files\\Latchkey\\latchkey.exe" credential-process --profile Development-Developer',
    );
  });

  it("keeps an existing file's mode and its other text, and backs up what it read first", async () => {
    await writeConfig(USER_CONFIG, 0o640);
    const added = await addRoleProfile(options());
    expect(added).toEqual({ profile: 'Development-Developer', configFile: configPath, added: true });
    const text = await readFile(configPath, 'utf8');
    expect(text.startsWith(`${USER_CONFIG}\n# BEGIN latchkey managed profiles (session corp)\n`)).toBe(true);
    expect((await stat(configPath)).mode & 0o777).toBe(0o640);
    expect(await readFile(`${configPath}.latchkey-backup`, 'utf8')).toBe(USER_CONFIG);
    expect((await stat(`${configPath}.latchkey-backup`)).mode & 0o777).toBe(0o640);
    expect((await readdir(join(home, '.aws'))).sort()).toEqual(['config', 'config.latchkey-backup']);
    expect(parseAwsConfig(text, configPath).profiles.get('Development-Developer')).toMatchObject({
      session: 'corp',
      accountId: '111111111111',
      roleName: 'Developer',
      usesCredentialProcess: true,
    });
  });

  it("adds a second role beside the first, keeping the first's section", async () => {
    await writeConfig(USER_CONFIG);
    await addRoleProfile(options());
    const first = await readFile(configPath, 'utf8');
    const section = first.slice(first.indexOf('[profile Development-Developer]'), first.indexOf('# END'));
    const added = await addRoleProfile(options({ account: { accountId: '222222222222', accountName: 'Production' }, roleName: 'ReadOnly' }));
    expect(added).toEqual({ profile: 'Production-ReadOnly', configFile: configPath, added: true });
    const second = await readFile(configPath, 'utf8');
    expect(second).toContain(section);
    expect([...parseAwsConfig(second, configPath).profiles.keys()].sort()).toEqual(['Development-Developer', 'Production-ReadOnly']);
    // The backup is of the file as the second call read it.
    expect(await readFile(`${configPath}.latchkey-backup`, 'utf8')).toBe(first);
  });

  it('writes nothing for a role that already has a profile, and says it was not added', async () => {
    await writeConfig(USER_CONFIG);
    await addRoleProfile(options());
    const before = await readFile(configPath);
    const backup = await readFile(`${configPath}.latchkey-backup`);
    const again = await addRoleProfile(options({ account: { accountId: '111111111111', accountName: 'Renamed in the portal' } }));
    expect(again).toEqual({ profile: 'Development-Developer', configFile: configPath, added: false });
    expect((await readFile(configPath)).equals(before)).toBe(true);
    // Nothing was written at all: the backup is still the one the first call made.
    expect((await readFile(`${configPath}.latchkey-backup`)).equals(backup)).toBe(true);
  });

  it('writes through a symlinked config to the file it points to, and the link stays a link', async () => {
    const target = join(home, 'dotfiles', 'aws-config');
    await mkdir(join(home, 'dotfiles'));
    await writeFile(target, USER_CONFIG);
    await chmod(target, 0o640);
    await mkdir(join(home, '.aws'));
    await symlink(target, configPath);

    const added = await addRoleProfile(options());

    expect(added).toEqual({ profile: 'Development-Developer', configFile: target, added: true });
    expect((await lstat(configPath)).isSymbolicLink()).toBe(true);
    expect(await readlink(configPath)).toBe(target);
    const text = await readFile(target, 'utf8');
    expect(text.startsWith(USER_CONFIG)).toBe(true);
    expect(text).toContain('[profile Development-Developer]\n');
    expect((await stat(target)).mode & 0o777).toBe(0o640);
    expect(await readFile(`${target}.latchkey-backup`, 'utf8')).toBe(USER_CONFIG);
    expect(await readdir(join(home, '.aws'))).toEqual(['config']);
  });

  it('refuses a config file larger than Latchkey reads, naming it, and leaves it untouched', async () => {
    const huge = `${USER_CONFIG}# ${'x'.repeat(AWS_CONFIG_MAX_BYTES)}\n`;
    await writeConfig(huge);
    const error = await addRoleProfile(options()).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toBe(`Cannot read the AWS config file ${configPath}: it is larger than ${AWS_CONFIG_MAX_BYTES} bytes.`);
    expect((await stat(configPath)).size).toBe(Buffer.byteLength(huge));
    expect(await readFile(configPath, 'utf8')).toBe(huge);
    expect(await readdir(join(home, '.aws'))).toEqual(['config']);
  });

  it('refuses a profile that would make the file larger than Latchkey reads, and leaves it untouched', async () => {
    const filler = `# ${'x'.repeat(AWS_CONFIG_MAX_BYTES - Buffer.byteLength(USER_CONFIG) - 3)}\n`;
    const full = `${USER_CONFIG}${filler}`;
    expect(Buffer.byteLength(full)).toBe(AWS_CONFIG_MAX_BYTES);
    await writeConfig(full);
    const error = await addRoleProfile(options()).catch((e: unknown) => e);
    expect(isLatchkeyError(error, 'config_error')).toBe(true);
    expect((error as Error).message.startsWith(`The new ${configPath} would be 16.0 MiB, more than the 16.0 MiB Latchkey reads; nothing was written.`)).toBe(true);
    expect(await readFile(configPath, 'utf8')).toBe(full);
    expect(await readdir(join(home, '.aws'))).toEqual(['config']);
  });
});
