import { listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { Arch, Platform, build, type Configuration } from 'electron-builder';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Builds the Linux `--dir` layout from electron-builder.yml, as a release would, with a
 * stand-in for the Electron binary (which cannot be downloaded here), and checks what
 * lands where: app.asar, the unpacked keytar binary, the native `latchkey` client, and the
 * fuses electron-builder flipped.
 */

const run = promisify(execFile);
const projectDir = process.cwd();
const manifest = JSON.parse(await readFile(join(projectDir, 'package.json'), 'utf8')) as { main: string };
/** keytar loads prebuilds/<process.platform>-<process.arch>/keytar.node; the build targets this host. */
const prebuild = `linux-${process.arch}`;
const skipReason = process.platform === 'win32' ? 'the stand-in Electron is a shell script' : undefined;
if (skipReason !== undefined) console.log(`packaging layout tests skipped: ${skipReason}`);

/** Where Electron's fuse wire starts (docs/tutorial/fuses.md in electron/electron). */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse wire version 1, 8 fuses, in Electron's default states ('1' on, '0' off). */
const DEFAULT_FUSE_WIRE = Buffer.concat([Buffer.from([1, 8]), Buffer.from('10110001')]);
/** How the fuse wire spells a fuse's state. */
const FUSE_BYTE = { on: '1'.charCodeAt(0), off: '0'.charCodeAt(0) } as const;

let workDir: string;
let appOutDir: string;
let resources: string;
let asarFiles: string[];
/** The configuration electron-builder actually used: the file plus this test's overrides. */
let effectiveConfig: Configuration;

/**
 * An executable that fails as the real app does where it cannot start (no display), and
 * carries a fuse wire for electron-builder to flip. For a directory `electronDist`,
 * electron-builder 26 copies the directory and renames its `electron` file to the
 * executable name: that one file is all it needs.
 */
function standInElectron(): Buffer {
  const script = [
    '#!/bin/sh',
    'echo "stand-in Electron: the app cannot start here" >&2',
    'exit 1',
    '# fuse wire, never read by the shell: ',
  ].join('\n');
  return Buffer.concat([Buffer.from(script), Buffer.from(FUSE_SENTINEL), DEFAULT_FUSE_WIRE, Buffer.from('\n')]);
}

beforeAll(async () => {
  if (skipReason !== undefined) return;
  workDir = await mkdtemp(join(tmpdir(), 'latchkey-packaging-'));
  await run(process.execPath, ['scripts/build.mjs'], { cwd: projectDir });
  const electronDist = join(workDir, 'electron-dist');
  await mkdir(electronDist);
  await writeFile(join(electronDist, 'electron'), standInElectron());
  await chmod(join(electronDist, 'electron'), 0o755);

  const output = join(workDir, 'out');
  await build({
    projectDir,
    targets: Platform.LINUX.createTarget('dir', process.arch === 'arm64' ? Arch.arm64 : Arch.x64),
    publish: 'never',
    config: {
      electronDist,
      // Any attempt to download Electron fails at once instead of reaching for the network.
      electronDownload: { mirror: 'http://127.0.0.1:9/' },
      directories: { output },
      afterPack: async (context) => {
        effectiveConfig = context.packager.config;
      },
    },
  });
  const [unpacked] = (await readdir(output)).filter((name) => name.endsWith('-unpacked'));
  if (unpacked === undefined) throw new Error(`electron-builder left no *-unpacked directory in ${output}`);
  appOutDir = join(output, unpacked);
  resources = join(appOutDir, 'resources');
  asarFiles = listPackage(join(resources, 'app.asar'), { isPack: false });
}, 60_000);

afterAll(async () => {
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

describe.skipIf(skipReason !== undefined)('the Linux app directory', () => {
  it('holds the app under its Linux executable name, not `latchkey` (that name is the CLI)', async () => {
    expect((await stat(join(appOutDir, 'latchkey-desktop'))).mode & 0o111).not.toBe(0);
    await expect(stat(join(appOutDir, 'latchkey'))).rejects.toThrow();
  });

  it.each(['/package.json', '/dist/desktop/main.mjs', '/dist/preload/preload.cjs', '/dist/renderer/index.html', '/dist/renderer/renderer.js', '/dist/renderer/style.css', '/assets/tray/signed-inTemplate.png'])(
    'packs %s into app.asar',
    (file) => {
      expect(asarFiles).toContain(file);
    },
  );

  it('starts the main process from a file inside app.asar', () => {
    expect(asarFiles).toContain(`/${manifest.main}`);
  });

  it('ships no source maps, emulator, build metafile or bundled-only dependency', () => {
    const unwanted = asarFiles.filter((file) =>
      /\.map$|^\/dist\/emulator\/|metafile[^/]*\.json$|\/node_modules\/(got|hpagent|ini|qrcode|node-addon-api)(\/|$)/.test(file),
    );
    expect(unwanted).toEqual([]);
  });

  it('ships keytar as its only node module', () => {
    const modules = new Set(asarFiles.map((file) => /^\/node_modules\/(@[^/]+\/[^/]+|[^@/][^/]*)/.exec(file)?.[1]).filter(Boolean));
    expect([...modules]).toEqual(['@github/keytar']);
  });
});

describe.skipIf(skipReason !== undefined)('keytar in the package', () => {
  const keytarDir = (): string => join(resources, 'app.asar.unpacked', 'node_modules', '@github', 'keytar');

  it(`unpacks the ${prebuild} binary beside app.asar, where dlopen can read it`, async () => {
    const binary = await readFile(join(keytarDir(), 'prebuilds', prebuild, 'keytar.node'));
    expect(binary.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46])); // ELF
    expect(statFile(join(resources, 'app.asar'), `node_modules/@github/keytar/prebuilds/${prebuild}/keytar.node`)).toMatchObject({ unpacked: true });
  });

  it('leaves out the other platforms, the C++ sources and any local build', async () => {
    expect(await readdir(join(keytarDir(), 'prebuilds'))).toEqual([prebuild]);
    expect((await readdir(keytarDir())).sort()).toEqual(['LICENSE.md', 'lib', 'package.json', 'prebuilds']);
  });

  // This machine's Node stands in for the app's: the real binary cannot run as Node
  // (RunAsNode is off), and only a real Electron could load keytar as the app does.
  it('loads from the unpacked files', async (context) => {
    const entry = join(keytarDir(), 'lib', 'keytar.js');
    try {
      await run(process.execPath, ['-e', `require(${JSON.stringify(entry)})`]);
    } catch (error) {
      const required = process.env.LATCHKEY_TEST_KEYRING === '1' || process.env.LATCHKEY_REQUIRE_KEYRING === '1';
      if (!required && String(error).includes('libsecret')) {
        context.skip(`libsecret is not installed (${String(error).split('\n')[0]})`);
      }
      throw error;
    }
  });
});

describe.skipIf(skipReason !== undefined)('the latchkey command in the package', () => {
  const client = (): string => join(resources, 'bin', 'latchkey');

  it('is the native executable npm run build made, alone in resources/bin, and executable', async () => {
    expect(await readdir(join(resources, 'bin'))).toEqual(['latchkey']);
    const binary = await readFile(client());
    expect(binary.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46])); // ELF, not a script
    expect(binary.equals(await readFile(join(projectDir, 'dist', 'bin', 'latchkey')))).toBe(true);
    expect((await stat(client())).mode & 0o111).not.toBe(0);
  });

  it('ships no Node CLI, which nothing in the app could run', async () => {
    expect(asarFiles.filter((file) => /^\/dist\/(cli|bin)\//.test(file))).toEqual([]);
    await expect(stat(join(resources, 'app.asar.unpacked', 'dist'))).rejects.toThrow();
  });

  it('run through a symlink on PATH with no agent, finds the app, and says in one sentence that it could not start it', async () => {
    const home = await mkdtemp(join(workDir, 'home-'));
    const pathDir = await mkdtemp(join(workDir, 'path-'));
    await symlink(client(), join(pathDir, 'latchkey'));
    const env = { PATH: `${pathDir}:${process.env.PATH ?? ''}`, HOME: home, LATCHKEY_SOCKET: join(home, 'run', 'agent.sock') };
    const began = Date.now();
    const failure = (await run('latchkey', ['status'], { env, timeout: 15_000 }).catch((error: unknown) => error)) as { code: number; stdout: string; stderr: string };
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(failure).toMatchObject({ code: 1, stdout: '' });
    expect(failure.stderr).toBe(
      `latchkey: The Latchkey app at ${join(appOutDir, 'latchkey-desktop')} exited (exit status: 1) before its agent answered; start it once from your desktop to see why.\n`,
    );
  });
});

describe.skipIf(skipReason !== undefined)('the fuses electron-builder flips (docs/security.md)', () => {
  it.each([
    { fuse: 'RunAsNode', state: 'off', why: 'no process of the user can run JavaScript inside the signed app' },
    { fuse: 'EnableCookieEncryption', state: 'on', why: 'cookies encrypted with the OS key' },
    { fuse: 'EnableNodeOptionsEnvironmentVariable', state: 'off', why: 'NODE_OPTIONS cannot inject code' },
    { fuse: 'EnableNodeCliInspectArguments', state: 'off', why: 'no --inspect debugger on the app' },
    { fuse: 'EnableEmbeddedAsarIntegrityValidation', state: 'on', why: 'app.asar checked against its hash' },
    { fuse: 'OnlyLoadAppFromAsar', state: 'on', why: 'no app loaded from a loose folder' },
    { fuse: 'LoadBrowserProcessSpecificV8Snapshot', state: 'off', why: 'one V8 snapshot, as shipped' },
    { fuse: 'GrantFileProtocolExtraPrivileges', state: 'off', why: 'the page comes from latchkey-app://, and file:// gets no more than in a browser' },
  ] as const)('$fuse is $state ($why)', async ({ fuse, state }) => {
    const wire = await getCurrentFuseWire(join(appOutDir, 'latchkey-desktop'));
    expect(wire[FuseV1Options[fuse]]).toBe(FUSE_BYTE[state]);
  });
});

describe.skipIf(skipReason !== undefined)('the other platforms, as configured', () => {
  it('builds a tray-only macOS dmg (LSUIElement)', () => {
    expect(effectiveConfig.mac).toMatchObject({ target: 'dmg', extendInfo: { LSUIElement: true } });
  });

  it('builds a Windows nsis installer with the native latchkey.exe', () => {
    expect(effectiveConfig.win).toMatchObject({ target: 'nsis', extraResources: [{ from: 'dist/bin', to: 'bin', filter: ['latchkey.exe'] }] });
  });

  it('builds an AppImage and a deb that depends on libsecret-1-0 and keeps Electron\'s own libraries', () => {
    expect(effectiveConfig.linux?.target).toEqual(['AppImage', 'deb']);
    expect(effectiveConfig.deb?.depends).toEqual(expect.arrayContaining(['libsecret-1-0', 'libgtk-3-0', 'libnss3']));
  });
});
