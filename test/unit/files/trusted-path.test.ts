import { chmod, chown, lchown, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLatchkeyError } from '../../../main/core/errors';
import { assertPrivateDirectory, assertTrustedDirectory, assertTrustedSocket } from '../../../main/files/trusted-path';

// Another user's files are made by chown, which needs root (CI runs as root); as root
// they are real: the checks compare owners, never names.
const OTHER_UID = 4242;
const asRoot = process.getuid?.() === 0;
if (!asRoot) console.warn('trusted-path ownership cases skipped: chown to another uid needs root (CI runs as root).');

let base: string;
const servers: Server[] = [];

beforeEach(async () => {
  // A stand-in for /tmp: shared and sticky, so that its own mode is no reason to refuse.
  base = await mkdtemp(join(tmpdir(), 'lk-tp-'));
  await chmod(base, 0o1777);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  await rm(base, { recursive: true, force: true });
});

async function privateDir(name = 'own'): Promise<string> {
  const dir = join(base, name);
  await mkdir(dir, { mode: 0o700 });
  await chmod(dir, 0o700);
  return dir;
}

async function socketAt(path: string, mode = 0o600): Promise<string> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  await chmod(path, mode);
  return path;
}

function refusal(check: () => void): string {
  try {
    check();
  } catch (error) {
    if (isLatchkeyError(error, 'config_error')) return error.message;
    throw error;
  }
  throw new Error('the check passed');
}

describe('assertTrustedSocket', () => {
  it('accepts a socket 0600 of this user in a directory 0700 under a sticky shared folder', async () => {
    const socket = await socketAt(join(await privateDir(), 'agent.sock'));
    expect(assertTrustedSocket(socket)).toBe('present');
  });

  it.each([
    ['a directory that does not exist yet', 'absent/agent.sock'],
    ['a socket that does not exist yet', 'own/agent.sock'],
  ])('calls a path with %s absent, so that nobody connects to it (another user could create it in between)', async (_name, path) => {
    await privateDir();
    expect(assertTrustedSocket(join(base, path))).toBe('absent');
  });

  it('follows a symlinked directory of this user to a private directory', async () => {
    const real = await privateDir('real');
    await socketAt(join(real, 'agent.sock'));
    await symlink(real, join(base, 'link'));
    expect(assertTrustedSocket(join(base, 'link', 'agent.sock'))).toBe('present');
  });

  it.each<[string, (dir: string) => Promise<string>, RegExp]>([
    ['a directory other users can enter', async (dir) => {
      await chmod(dir, 0o755);
      return socketAt(join(dir, 'agent.sock'));
    }, /other users can enter .*own \(mode 0755\); run "chmod 700 .*own", or set LATCHKEY_SOCKET/],
    ['a socket that is a symlink', async (dir) => {
      const elsewhere = await socketAt(join(await privateDir('elsewhere'), 'real.sock'));
      await symlink(elsewhere, join(dir, 'agent.sock'));
      return join(dir, 'agent.sock');
    }, /agent\.sock is a symlink/],
    ['a socket other users may connect to', (dir) => socketAt(join(dir, 'agent.sock'), 0o666), /other users may connect to .* \(mode 0666\)/],
    ['a regular file at the socket path', async (dir) => {
      await writeFile(join(dir, 'agent.sock'), '');
      return join(dir, 'agent.sock');
    }, /agent\.sock is not a socket/],
    ['an ancestor that others can write and is not sticky', async (dir) => {
      await chmod(base, 0o777);
      return socketAt(join(dir, 'agent.sock'));
    }, /other users can change .*lk-tp-\w+ \(mode 0777\)/],
  ])('refuses %s, naming it', async (_name, arrange, message) => {
    const socket = await arrange(await privateDir());
    expect(refusal(() => assertTrustedSocket(socket))).toMatch(message);
  });

  describe.skipIf(!asRoot)('paths another user made', () => {
    it.each<[string, (dir: string) => Promise<string>, RegExp]>([
      ['a socket directory of another user (made first in a shared folder)', async (dir) => {
        const socket = await socketAt(join(dir, 'agent.sock'));
        await chown(dir, OTHER_UID, OTHER_UID);
        return socket;
      }, /own belongs to another user \(uid 4242\)/],
      ['a socket of another user', async (dir) => {
        const socket = await socketAt(join(dir, 'agent.sock'));
        await chown(socket, OTHER_UID, OTHER_UID);
        return socket;
      }, /agent\.sock belongs to another user \(uid 4242\)/],
      ['a runtime directory of another user above a private one (XDG_RUNTIME_DIR kept across su)', async () => {
        const runtime = join(base, 'run-user-1000');
        await mkdir(runtime, { mode: 0o700 });
        const own = join(runtime, 'latchkey');
        await mkdir(own, { mode: 0o700 });
        const socket = await socketAt(join(own, 'agent.sock'));
        await chown(runtime, OTHER_UID, OTHER_UID);
        return socket;
      }, /run-user-1000 belongs to another user \(uid 4242\)/],
      ['a symlinked directory that another user owns (and could point elsewhere)', async (dir) => {
        await socketAt(join(dir, 'agent.sock'));
        await symlink(dir, join(base, 'theirs'));
        await lchown(join(base, 'theirs'), OTHER_UID, OTHER_UID);
        return join(base, 'theirs', 'agent.sock');
      }, /theirs belongs to another user \(uid 4242\)/],
    ])('refuses %s', async (_name, arrange, message) => {
      const socket = await arrange(await privateDir());
      expect(refusal(() => assertTrustedSocket(socket))).toMatch(message);
    });
  });
});

describe('assertPrivateDirectory (the agent side)', () => {
  it("tightens Latchkey's own default directory when other users could enter it", async () => {
    const dir = await privateDir();
    await chmod(dir, 0o777);
    assertPrivateDirectory(dir, true);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('refuses, rather than tightens, a directory the user chose', async () => {
    const dir = await privateDir();
    await chmod(dir, 0o750);
    expect(refusal(() => assertPrivateDirectory(dir, false))).toMatch(/other users can enter/);
    expect((await stat(dir)).mode & 0o777).toBe(0o750);
  });

  it.skipIf(!asRoot)('never takes over a directory of another user, even its own default one', async () => {
    const dir = await privateDir();
    await chown(dir, OTHER_UID, OTHER_UID);
    expect(refusal(() => assertPrivateDirectory(dir, true))).toMatch(/belongs to another user \(uid 4242\)/);
  });
});

describe('assertTrustedDirectory (where files are written)', () => {
  it('accepts a directory of this user, and one that does not exist yet below it', async () => {
    const dir = await privateDir();
    await chmod(dir, 0o755);
    expect(() => assertTrustedDirectory(dir, 'config')).not.toThrow();
    expect(() => assertTrustedDirectory(join(dir, 'new', 'deeper'), 'config')).not.toThrow();
  });

  it('refuses a directory that does not exist yet in a shared folder, where another user could create it first', () => {
    expect(refusal(() => assertTrustedDirectory(join(base, 'new'), 'config'))).toBe(
      `Latchkey will not write config in ${join(base, 'new')}: another user could create ${join(base, 'new')} first.`,
    );
  });

  it('refuses a directory others can write, saying how to fix it', async () => {
    const dir = await privateDir();
    await chmod(dir, 0o775);
    expect(refusal(() => assertTrustedDirectory(dir, 'config'))).toBe(
      `Latchkey will not write config in ${dir}: other users can change ${dir} (mode 0775); run "chmod go-w ${dir}".`,
    );
  });

  it.skipIf(!asRoot)('refuses a directory of another user', async () => {
    const dir = await privateDir();
    await chown(dir, OTHER_UID, OTHER_UID);
    expect(refusal(() => assertTrustedDirectory(dir, 'config'))).toMatch(/belongs to another user \(uid 4242\)/);
  });

  it('takes `..` after a symlink as the kernel does, from where the link leads, and returns that real path', async () => {
    const dir = await privateDir();
    await mkdir(join(dir, 'a', 'b'), { recursive: true });
    await symlink(join(dir, 'a', 'b'), join(dir, 'lnk'));
    expect(assertTrustedDirectory(`${dir}/lnk/..`, 'config')).toBe(join(dir, 'a'));
  });

  it.skipIf(!asRoot)('refuses `link/..` that leads into another user\'s directory, though the text reads as an own one', async () => {
    const dir = await privateDir();
    const theirs = await privateDir('theirs');
    await mkdir(join(theirs, 'sub'));
    await chown(theirs, OTHER_UID, OTHER_UID);
    await symlink(join(theirs, 'sub'), join(dir, 'lnk'));
    expect(refusal(() => assertTrustedDirectory(`${dir}/lnk/..`, 'config'))).toMatch(/theirs belongs to another user \(uid 4242\)/);
  });
});
