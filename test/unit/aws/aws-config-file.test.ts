import { chmod, chown, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AWS_CONFIG_MAX_BYTES, assertAwsConfigFits, awsConfigFilePath, cachedAwsConfigReader, readAwsConfigFile } from '../../../main/aws/aws-config-file';
import { isLatchkeyError } from '../../../main/core/errors';
import { makeFifo, releaseFifo, within } from '../../support/fifo';

const CONFIG = `[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
`;

let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'latchkey-aws-config-'));
});

afterEach(async () => {
  await releaseFifo(join(home, 'fifo'));
  await rm(home, { recursive: true, force: true });
});

describe('awsConfigFilePath', () => {
  it.each([
    ['no_variable_means_home_aws_config', {}, (h: string) => join(h, '.aws', 'config')],
    ['empty_variable_means_home_aws_config', { AWS_CONFIG_FILE: '' }, (h: string) => join(h, '.aws', 'config')],
    ['variable_wins_over_home', { AWS_CONFIG_FILE: '/etc/aws/config' }, () => '/etc/aws/config'],
    ['leading_tilde_in_variable_means_home', { AWS_CONFIG_FILE: '~/cfg/aws' }, (h: string) => join(h, 'cfg', 'aws')],
  ])('%s', (_name, env, expected) => {
    expect(awsConfigFilePath({ env, homeDir: home })).toBe(expected(home));
  });
});

describe('readAwsConfigFile', () => {
  it('reads <home>/.aws/config when AWS_CONFIG_FILE is unset', async () => {
    await mkdir(join(home, '.aws'));
    await writeFile(join(home, '.aws', 'config'), CONFIG);
    const config = await readAwsConfigFile({ env: {}, homeDir: home });
    expect(config.filePath).toBe(join(home, '.aws', 'config'));
    expect(config.profiles.get('dev')?.roleName).toBe('Developer');
  });

  it('reads the file AWS_CONFIG_FILE names', async () => {
    const path = join(home, 'elsewhere.ini');
    await writeFile(path, CONFIG);
    const config = await readAwsConfigFile({ env: { AWS_CONFIG_FILE: path }, homeDir: join(home, 'nobody') });
    expect(config.ssoSessions.get('corp')?.region).toBe('eu-west-1');
  });

  it('treats a missing file as an empty config, and says it is missing', async () => {
    const config = await readAwsConfigFile({ env: {}, homeDir: home });
    expect(config.problems).toEqual([]);
    expect(config.profiles.size).toBe(0);
    expect(config.ssoSessions.size).toBe(0);
    expect(config.fileMissing).toBe(true);
  });

  it('does not call an empty file missing', async () => {
    const path = join(home, 'empty');
    await writeFile(path, '');
    const config = await readAwsConfigFile({ env: { AWS_CONFIG_FILE: path }, homeDir: home });
    expect(config.fileMissing).not.toBe(true);
  });

  it('strips a byte-order mark left by Windows editors', async () => {
    const path = join(home, 'bom');
    await writeFile(path, `\uFEFF${CONFIG}`);
    const config = await readAwsConfigFile({ env: { AWS_CONFIG_FILE: path }, homeDir: home });
    expect(config.ssoSessions.has('corp')).toBe(true);
  });

  it('puts the path into problem messages', async () => {
    const path = join(home, 'broken');
    await writeFile(path, '[sso-session corp]\nsso_region = eu-west-1\n');
    const config = await readAwsConfigFile({ env: { AWS_CONFIG_FILE: path }, homeDir: home });
    expect(config.problems[0]?.message.startsWith(`${path}: [sso-session corp] has no sso_start_url`)).toBe(true);
  });

  it('reports a directory in place of the file as a config_error naming the path', async () => {
    const path = join(home, 'dir');
    await mkdir(path);
    const read = readAwsConfigFile({ env: { AWS_CONFIG_FILE: path }, homeDir: home });
    await expect(read).rejects.toSatisfy((error: unknown) => isLatchkeyError(error, 'config_error'));
    await expect(read).rejects.toThrow(`Cannot read the AWS config file ${path}: it is a directory, not a file.`);
  });

  it('reports a FIFO in place of the file at once, as a config_error naming the path', async () => {
    const path = join(home, 'fifo');
    makeFifo(path);
    const read = within(readAwsConfigFile({ env: { AWS_CONFIG_FILE: path }, homeDir: home }), 2000, 'reading a FIFO');
    await expect(read).rejects.toSatisfy((error: unknown) => isLatchkeyError(error, 'config_error'));
    await expect(read).rejects.toThrow(`Cannot read the AWS config file ${path}: it is a named pipe (FIFO), not a regular file.`);
  });

  it('reports a device in place of the file as a config_error', async () => {
    const read = readAwsConfigFile({ env: { AWS_CONFIG_FILE: '/dev/zero' }, homeDir: home });
    await expect(read).rejects.toThrow('Cannot read the AWS config file /dev/zero: it is a device, not a regular file.');
  });

  it('follows a symlink to the file, as a dotfiles repository makes one', async () => {
    await mkdir(join(home, 'dotfiles'));
    await writeFile(join(home, 'dotfiles', 'aws-config'), CONFIG);
    await mkdir(join(home, '.aws'));
    await symlink(join(home, 'dotfiles', 'aws-config'), join(home, '.aws', 'config'));
    expect((await readAwsConfigFile({ env: {}, homeDir: home })).profiles.has('dev')).toBe(true);
  });

  it('refuses a file larger than AWS_CONFIG_MAX_BYTES', async () => {
    const path = join(home, 'huge');
    await writeFile(path, `${CONFIG}\n# ${'x'.repeat(AWS_CONFIG_MAX_BYTES)}\n`);
    await expect(readAwsConfigFile({ env: { AWS_CONFIG_FILE: path }, homeDir: home })).rejects.toThrow(
      `Cannot read the AWS config file ${path}: it is larger than ${AWS_CONFIG_MAX_BYTES} bytes.`,
    );
  });

  it('reads a config as large as a big organisation gets from setup-profiles (20,000 profiles)', async () => {
    const path = join(home, 'big');
    const profile = (n: number): string =>
      `[profile Account-${n}-Developer]\ncredential_process = /usr/bin/latchkey credential-process --profile Account-${n}-Developer\nlatchkey_session = corp\nlatchkey_account_id = ${String(n).padStart(12, '0')}\nlatchkey_role_name = Developer\n`;
    await writeFile(path, CONFIG + Array.from({ length: 20_000 }, (_, n) => profile(n)).join('\n'));
    expect((await readAwsConfigFile({ env: { AWS_CONFIG_FILE: path }, homeDir: home })).profiles.size).toBeGreaterThanOrEqual(20_000);
  });

  it('tells setup-profiles before it writes a config Latchkey could not read back', () => {
    expect(() => assertAwsConfigFits('x'.repeat(2048), '/h/.aws/config', 1024)).toThrow(
      'The new /h/.aws/config would be 0.0 MiB, more than the 0.0 MiB Latchkey reads; nothing was written. write profiles by hand for the roles you use (latchkey_session, latchkey_account_id, latchkey_role_name) instead.',
    );
    expect(() => assertAwsConfigFits('x'.repeat(1024), '/h/.aws/config', 1024)).not.toThrow();
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a file that belongs to another user', async () => {
    const path = join(home, 'theirs');
    await writeFile(path, CONFIG);
    await chown(path, 54_321, 54_321);
    await expect(readAwsConfigFile({ env: { AWS_CONFIG_FILE: path }, homeDir: home })).rejects.toThrow(
      `Cannot read the AWS config file ${path}: it belongs to another user (uid 54321).`,
    );
  });

  it.skipIf(process.getuid?.() === 0 || process.platform === 'win32')(
    'reports an unreadable file as a config_error saying permission denied',
    async () => {
      const path = join(home, 'locked');
      await writeFile(path, CONFIG);
      await chmod(path, 0o000);
      await expect(readAwsConfigFile({ env: { AWS_CONFIG_FILE: path }, homeDir: home })).rejects.toThrow(
        /permission denied/,
      );
    },
  );
});

describe('cachedAwsConfigReader', () => {
  it('answers from its last parse while the file is unchanged', async () => {
    const path = join(home, 'config');
    await writeFile(path, CONFIG);
    const read = cachedAwsConfigReader({ env: { AWS_CONFIG_FILE: path }, homeDir: home });
    const first = await read();
    expect(await read()).toBe(first);
  });

  it('reads an edit at once, even one of the same size', async () => {
    const path = join(home, 'config');
    await writeFile(path, CONFIG);
    const read = cachedAwsConfigReader({ env: { AWS_CONFIG_FILE: path }, homeDir: home });
    expect((await read()).ssoSessions.get('corp')?.region).toBe('eu-west-1');
    await writeFile(path, CONFIG.replace('eu-west-1', 'eu-west-2'));
    // A different modification time, as any real edit has, even within one clock tick.
    await utimes(path, new Date(), new Date(Date.now() + 1000));
    expect((await read()).ssoSessions.get('corp')?.region).toBe('eu-west-2');
  });

  it('reports a FIFO at the path at once, and again on the next call', async () => {
    const path = join(home, 'fifo');
    makeFifo(path);
    const read = cachedAwsConfigReader({ env: { AWS_CONFIG_FILE: path }, homeDir: home });
    for (let call = 0; call < 2; call += 1) {
      await expect(within(read(), 2000, 'reading a FIFO')).rejects.toSatisfy((error: unknown) => isLatchkeyError(error, 'config_error'));
    }
  });

  it('reads a file that appears later', async () => {
    const path = join(home, 'config');
    const read = cachedAwsConfigReader({ env: { AWS_CONFIG_FILE: path }, homeDir: home });
    expect((await read()).ssoSessions.size).toBe(0);
    await writeFile(path, CONFIG);
    expect((await read()).ssoSessions.size).toBe(1);
  });
});
