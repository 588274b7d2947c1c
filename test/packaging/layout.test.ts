import { listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { Arch, Platform, build, type Configuration } from 'electron-builder';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Builds the Linux `--dir` layout from electron-builder.yml, as a release would, with a
 * stand-in for the Electron binary (which cannot be downloaded here), and checks what
 * lands where: app.asar, the unpacked keytar binary, the CLI and its launcher, and the
 * fuses electron-builder flipped.
 */

const run = promisify(execFile);
const projectDir = process.cwd();
const manifest = JSON.parse(await readFile(join(projectDir, 'package.json'), 'utf8')) as { version: string; main: string; bin: { latchkey: string } };
/** The CLI's entry as `npm run build` makes it, e.g. `dist/cli/latchkey.cjs`. */
const cliEntry = manifest.bin.latchkey;
/** keytar loads prebuilds/<process.platform>-<process.arch>/keytar.node; the build targets this host. */
const prebuild = `linux-${process.arch}`;
const skipReason = process.platform === 'win32' ? 'the stand-in Electron and the launcher are shell scripts' : undefined;
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
 * An executable that does what the real binary does with ELECTRON_RUN_AS_NODE=1 (run as
 * Node, here this machine's) and carries a fuse wire for electron-builder to flip. For a
 * directory `electronDist`, electron-builder 26 copies the directory and renames its
 * `electron` file to the executable name: that one file is all it needs.
 */
function standInElectron(): Buffer {
  const script = [
    '#!/bin/sh',
    `if [ -n "$ELECTRON_RUN_AS_NODE" ]; then exec '${process.execPath}' "$@"; fi`,
    'echo "stand-in Electron: only ELECTRON_RUN_AS_NODE=1 is supported" >&2',
    'exit 1',
    '# fuse wire, never read by the shell: ',
  ].join('\n');
  return Buffer.concat([Buffer.from(script), Buffer.from(FUSE_SENTINEL), DEFAULT_FUSE_WIRE, Buffer.from('\n')]);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)));
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

  it('loads under the packaged runtime', async (context) => {
    const entry = join(keytarDir(), 'lib', 'keytar.js');
    try {
      await run(join(appOutDir, 'latchkey-desktop'), ['-e', `require(${JSON.stringify(entry)})`], {
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      });
    } catch (error) {
      const required = process.env.LATCHKEY_TEST_KEYRING === '1' || process.env.LATCHKEY_REQUIRE_KEYRING === '1';
      if (!required && String(error).includes('libsecret')) {
        context.skip(`libsecret is not installed (${String(error).split('\n')[0]})`);
      }
      throw error;
    }
  });
});

describe.skipIf(skipReason !== undefined)('the CLI in the package', () => {
  const cliDir = (): string => join(resources, 'app.asar.unpacked', 'dist', 'cli');

  it('is unpacked whole, as plain files a launcher can run by path', async () => {
    expect(await readFile(join(resources, 'bin', 'latchkey'), 'utf8')).toContain(`/app.asar.unpacked/${cliEntry}"`);
    const built = (await filesUnder(join(projectDir, 'dist', 'cli'))).filter((file) => !/\.map$|metafile[^/]*\.json$/.test(file));
    expect((await filesUnder(cliDir())).sort()).toEqual(built.sort());
  });

  it('resolves @github/keytar to the unpacked copy next to it', () => {
    const resolved = createRequire(join(resources, 'app.asar.unpacked', cliEntry)).resolve('@github/keytar');
    expect(relative(resources, resolved)).toBe(join('app.asar.unpacked', 'node_modules', '@github', 'keytar', 'lib', 'keytar.js'));
  });

  it('has an executable launcher in resources/bin, and no Windows one on Linux', async () => {
    expect(await readdir(join(resources, 'bin'))).toEqual(['latchkey']);
    expect((await stat(join(resources, 'bin', 'latchkey'))).mode & 0o111).not.toBe(0);
  });

  it('runs through a symlink on PATH with the app binary as Node, passing output and exit codes', async () => {
    const pathDir = await mkdtemp(join(workDir, 'path-'));
    await symlink(join(resources, 'bin', 'latchkey'), join(pathDir, 'latchkey'));
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${pathDir}:${process.env.PATH ?? ''}` };
    delete env.ELECTRON_RUN_AS_NODE;

    const { stdout } = await run('latchkey', ['--version'], { env });
    expect(stdout.trim()).toBe(manifest.version);
    await expect(run('latchkey', ['no-such-command'], { env })).rejects.toMatchObject({ code: 2 });
  });

  it('has a Windows launcher that points at the same files, relative to resources\\bin', async () => {
    const cmd = await readFile(join(projectDir, 'build', 'bin', 'latchkey.cmd'), 'utf8');
    expect(cmd).toContain('set ELECTRON_RUN_AS_NODE=1');
    const entry = cliEntry.split('/').join('\\');
    expect(cmd).toContain(`"%~dp0..\\..\\Latchkey.exe" "%~dp0..\\app.asar.unpacked\\${entry}" %*`);
  });
});

describe.skipIf(skipReason !== undefined)('the fuses electron-builder flips (docs/security.md)', () => {
  it.each([
    { fuse: 'RunAsNode', state: 'on', why: 'the latchkey launcher runs the app binary as Node' },
    { fuse: 'EnableCookieEncryption', state: 'on', why: 'cookies encrypted with the OS key' },
    { fuse: 'EnableNodeOptionsEnvironmentVariable', state: 'off', why: 'NODE_OPTIONS cannot inject code' },
    { fuse: 'EnableNodeCliInspectArguments', state: 'off', why: 'no --inspect debugger on the app' },
    { fuse: 'EnableEmbeddedAsarIntegrityValidation', state: 'on', why: 'app.asar checked against its hash' },
    { fuse: 'OnlyLoadAppFromAsar', state: 'on', why: 'no app loaded from a loose folder' },
    { fuse: 'LoadBrowserProcessSpecificV8Snapshot', state: 'off', why: 'one V8 snapshot, as shipped' },
    // On until the renderer leaves file:// for a custom protocol: with it off, loadFile()
    // cannot read the page out of app.asar.
    { fuse: 'GrantFileProtocolExtraPrivileges', state: 'on', why: 'loadFile() reads the page from app.asar' },
  ] as const)('$fuse is $state ($why)', async ({ fuse, state }) => {
    const wire = await getCurrentFuseWire(join(appOutDir, 'latchkey-desktop'));
    expect(wire[FuseV1Options[fuse]]).toBe(FUSE_BYTE[state]);
  });
});

describe.skipIf(skipReason !== undefined)('the other platforms, as configured', () => {
  it('builds a tray-only macOS dmg (LSUIElement)', () => {
    expect(effectiveConfig.mac).toMatchObject({ target: 'dmg', extendInfo: { LSUIElement: true } });
  });

  it('builds a Windows nsis installer with the .cmd launcher', () => {
    expect(effectiveConfig.win).toMatchObject({ target: 'nsis', extraResources: [{ to: 'bin', filter: ['latchkey.cmd'] }] });
  });

  it('builds an AppImage and a deb that depends on libsecret-1-0 and keeps Electron\'s own libraries', () => {
    expect(effectiveConfig.linux?.target).toEqual(['AppImage', 'deb']);
    expect(effectiveConfig.deb?.depends).toEqual(expect.arrayContaining(['libsecret-1-0', 'libgtk-3-0', 'libnss3']));
  });
});
