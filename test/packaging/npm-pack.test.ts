import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/emulator';
import { keyringSkipReason } from '../support/test-keyring';

/**
 * Issue 12, item 5: the install for servers. `npm pack` in a clean copy of the working
 * tree (as a fresh clone would be: no dist/, so `prepack` must build), the tarball's file
 * list against an allowlist, `npm install -g` into a temporary prefix, and then the
 * installed `latchkey` signs in against the emulator (device code, which the emulator
 * approves by itself), starting its own agent, and serves credential_process.
 */

const run = promisify(execFile);
const projectDir = process.cwd();
/** Everything the package may hold: the Node CLI's bundle and what npm always adds. */
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE(\.md)?$/, /^dist\/cli\/latchkey\.cjs$/, /^dist\/cli\/commands\.mjs$/, /^dist\/cli\/chunks\/[\w-]+\.mjs$/];
/** npm's own words for "the registry cannot be reached" (a fetch that failed below HTTP). */
const OFFLINE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|ENOTCACHED)\b/;
const AWS_CONFIG = `[sso-session corp]
sso_start_url = https://corp.example.com/start
sso_region = us-east-1

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
`;

const service = `latchkey-test-${randomUUID()}`;
const keyringSkip = await keyringSkipReason(service);
if (keyringSkip !== undefined) console.warn(`npm pack install test: the sign-in is skipped: ${keyringSkip}.`);

let work: string;
let tarball: string;
let packedFiles: string[];
let emulator: Emulator | undefined;
/** The agent the installed command started, stopped at the end. */
let agentPid: number | undefined;

beforeAll(async () => {
  // A short path: the agent's socket goes in it.
  work = await mkdtemp(join(tmpdir(), 'lk-pack-'));
  const source = join(work, 'src');
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: projectDir, maxBuffer: 16 * 1024 * 1024 });
  for (const file of stdout.split('\0').filter((name) => name !== '')) {
    await mkdir(join(source, dirname(file)), { recursive: true });
    // A file deleted in the working tree but not yet in the index is simply left out.
    await cp(join(projectDir, file), join(source, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  // The build tools (esbuild) the prepack script runs; nothing of node_modules is packed.
  await symlink(join(projectDir, 'node_modules'), join(source, 'node_modules'), 'dir');
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: source, maxBuffer: 16 * 1024 * 1024 });
  const [result] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work, result.filename);
  packedFiles = result.files.map((file) => file.path).sort();
}, 120_000);

afterAll(async () => {
  if (agentPid !== undefined) {
    try {
      process.kill(agentPid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  await emulator?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('packs nothing outside the allowlist: no sources, tests, scripts, source maps, metafiles, Electron or native build', () => {
    expect(packedFiles.filter((path) => !ALLOWED.some((pattern) => pattern.test(path)))).toEqual([]);
  });

  it('packs the entry, the commands bundle and their chunks, built by prepack in a tree without dist/', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/cli/latchkey.cjs', 'dist/cli/commands.mjs']));
    expect(packedFiles.some((path) => path.startsWith('dist/cli/chunks/'))).toBe(true);
  });
});

describe('the tarball installed with npm install -g', () => {
  it.skipIf(keyringSkip !== undefined)(
    'signs in against the emulator through the installed latchkey, which starts its agent, and serves credential_process',
    async (context) => {
      const prefix = join(work, 'prefix');
      const install = await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], {
        cwd: work,
        maxBuffer: 16 * 1024 * 1024,
      }).catch((error: { stderr?: string; message: string }) => error);
      if ('message' in install) {
        const why = install.stderr ?? install.message;
        // CI can reach the registry (.ci/run sets LATCHKEY_REQUIRE_NPM_REGISTRY=1): a failure there is a failure, never a skip.
        if (process.env['CI'] !== 'true' && process.env['LATCHKEY_REQUIRE_NPM_REGISTRY'] !== '1' && OFFLINE.test(why)) {
          console.warn(`npm pack install test: skipped, the npm registry cannot be reached (${OFFLINE.exec(why)?.[1]}).`);
          context.skip();
        }
        throw new Error(`npm install -g failed: ${why}`);
      }
      const latchkey = join(prefix, 'bin', 'latchkey');
      emulator = await startEmulator({ port: 0, autoApprove: true, seed: 'npm-pack' });
      const configFile = join(work, 'config');
      await writeFile(configFile, AWS_CONFIG);
      const env = {
        PATH: `${join(prefix, 'bin')}:${process.env['PATH'] ?? ''}`,
        HOME: work,
        AWS_CONFIG_FILE: configFile,
        AWS_ENDPOINT_URL_SSO_OIDC: emulator.baseUrl,
        AWS_ENDPOINT_URL_SSO: emulator.baseUrl,
        LATCHKEY_SOCKET: join(work, 'a.sock'),
        LATCHKEY_KEYCHAIN_SERVICE: service,
        DBUS_SESSION_BUS_ADDRESS: process.env['DBUS_SESSION_BUS_ADDRESS'] ?? '',
        NO_COLOR: '1',
      };
      const latchkeyRun = (args: string[]) => run(latchkey, args, { env, cwd: work, timeout: 30_000 });
      try {
        await latchkeyRun(['login', '--session', 'corp', '--device-code', '--no-browser']);
        const status = JSON.parse((await latchkeyRun(['status', '--json'])).stdout) as { agentPid: number };
        agentPid = status.agentPid;
        const credentials = JSON.parse((await latchkeyRun(['credential-process', '--profile', 'dev'])).stdout) as Record<string, unknown>;
        expect(credentials).toMatchObject({ Version: 1, AccessKeyId: expect.any(String), SecretAccessKey: expect.any(String), SessionToken: expect.any(String) });
        // The command on PATH is the installed bundle, not this checkout's.
        expect(await realpath(latchkey)).toBe(await realpath(join(prefix, 'lib', 'node_modules', 'latchkey', 'dist', 'cli', 'latchkey.cjs')));
      } finally {
        // Removes the keychain records this test wrote.
        await latchkeyRun(['logout', '--session', 'corp']).catch(() => undefined);
      }
    },
    120_000,
  );
});
