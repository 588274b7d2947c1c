// `npm run demo`: the whole job on an embedded IAM Identity Center (docs/contract.md section 2).
// It starts the emulator, writes a temporary AWS config with an sso-session and a profile
// that uses credential_process, starts Latchkey against them (the desktop app where an
// Electron binary exists, else the headless agent), signs in with `latchkey login` in
// this terminal, and shows the credentials the AWS CLI would get, with the command to try.
// The sign-in is Latchkey's default: PKCE in the browser (the emulator's authorize page)
// where one can open, the device code elsewhere and with `npm run demo -- --device-code`.
//
// Nothing of yours is touched: its own AWS config file, socket and keychain service
// (`latchkey-demo-<random>`, wiped at the end). On a terminal it waits for you to approve
// in the browser (or press Enter to approve for you) and keeps running until Ctrl+C so you
// can try the profile; otherwise (CI) it approves by itself and exits when done.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
const usage = 'usage: npm run demo [-- --device-code]';
const demoArgs = process.argv.slice(2);
if (demoArgs.some((arg) => arg !== '--device-code')) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}
// Unattended there is no browser to come back from, so the demo approves a device code itself.
const deviceCode = demoArgs.includes('--device-code') || !interactive;
// The build goes to dist/ as usual; tests point it elsewhere so as not to race other builds.
const out = process.env.LATCHKEY_DEMO_OUTDIR ?? 'dist';
const cli = resolve(out, 'cli', 'latchkey.cjs');

// The keychain needs a Secret Service; a machine without a desktop session has none, so
// the demo then runs inside the same private keyring the tests use.
if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS && !process.env.LATCHKEY_DEMO_IN_KEYRING) {
  const wrapped = spawn('scripts/with-test-keyring.sh', [process.execPath, 'scripts/demo.mjs', ...demoArgs], {
    stdio: ['inherit', 'inherit', 'pipe'],
    env: { ...process.env, LATCHKEY_DEMO_IN_KEYRING: '1' },
  });
  // dbus-daemon says, as root, that it cannot raise its descriptor limit: true, and no concern of the demo's.
  createInterface({ input: wrapped.stderr }).on('line', (line) => {
    if (!/^dbus-daemon\[\d+\]: .*Failed to set fd limit/.test(line)) process.stderr.write(`${line}\n`);
  });
  // Ctrl+C reaches the wrapped demo too (same process group); this one only waits for it.
  process.on('SIGINT', () => undefined);
  const [code] = await new Promise((done) => wrapped.once('exit', (...outcome) => done(outcome)));
  process.exit(code ?? 1);
}

step('Building Latchkey');
await run(process.execPath, ['scripts/build.mjs', '--outdir', out]);

const dir = await mkdtemp(join(tmpdir(), 'latchkey-demo-'));
const children = [];
let cleaned = false;
let signOut = async () => undefined;
let agentLog;
// Under the throwaway keyring, Ctrl+C stops the keyring too, and its entries go with it.
const signOutOnInterrupt = () => (process.env.LATCHKEY_DEMO_IN_KEYRING ? Promise.resolve() : signOut());
process.once('SIGINT', () => void signOutOnInterrupt().then(cleanUp).then(() => process.exit(0)));

try {
  step('Starting the IAM Identity Center emulator');
  // Own process groups: Ctrl+C reaches only the demo, which signs out before stopping them.
  const emulator = spawn(process.execPath, ['scripts/run-emulator.mjs', '--port', '0', '--interval', '1'], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  children.push(emulator);
  const baseUrl = await firstLine(emulator.stdout);
  say(`Emulator at ${baseUrl} (accounts 111111111111 Development, 222222222222 Production)`);

  const configFile = join(dir, 'aws-config');
  const env = {
    ...process.env,
    AWS_CONFIG_FILE: configFile,
    AWS_ENDPOINT_URL_SSO_OIDC: baseUrl,
    AWS_ENDPOINT_URL_SSO: baseUrl,
    LATCHKEY_SOCKET: join(dir, 'run', 'agent.sock'),
    LATCHKEY_KEYCHAIN_SERVICE: `latchkey-demo-${randomBytes(4).toString('hex')}`,
  };
  const credentialProcess = `${quote(process.execPath)} ${quote(cli)} credential-process --profile demo-dev`;
  await writeFile(
    configFile,
    [
      '[sso-session demo]',
      'sso_start_url = https://d-1234567890.awsapps.com/start',
      'sso_region = us-east-1',
      'sso_registration_scopes = sso:account:access',
      '',
      '[profile demo-dev]',
      `credential_process = ${credentialProcess}`,
      'latchkey_session = demo',
      'latchkey_account_id = 111111111111',
      'latchkey_role_name = Developer',
      'region = us-east-1',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  say(`AWS config written to ${configFile}`);

  const electron = electronBinary();
  if (electron) {
    step('Starting the Latchkey desktop app (tray)');
    children.push(spawn(electron, ['.'], { env, stdio: 'inherit', detached: true }));
  } else {
    step('Starting the headless agent (no Electron binary here, so no tray app)');
    // Its log goes to a file, not between the demo's lines; the path is printed if the demo fails.
    agentLog = join(dir, 'agent.log');
    const log = await open(agentLog, 'a', 0o600);
    children.push(spawn(process.execPath, [cli, 'agent'], { env, stdio: ['ignore', 'ignore', log.fd], detached: true }));
    await log.close();
  }
  await waitForAgent(env);
  // The demo's keychain entries go with it, however it ends.
  signOut = () => run(process.execPath, [cli, 'logout', '--session', 'demo'], env).catch(() => undefined);

  // Without a flag, login picks as it always does: PKCE where a browser can open, else the device code.
  const flowArgs = deviceCode ? ['--device-code'] : [];
  step(`Signing in: latchkey login --session demo${deviceCode ? ' --device-code' : ''}`);
  if (interactive) {
    say(
      deviceCode
        ? 'Open the address below and click Allow on the emulator page, or press Enter here to approve for you.'
        : 'Click Allow on the emulator page that opens in your browser (where none can open, a code is shown instead), or press Enter here to approve for you.',
    );
    void approveOnEnter(baseUrl);
  } else {
    void approveWhenIssued(baseUrl);
  }
  await run(process.execPath, [cli, 'login', '--session', 'demo', ...flowArgs, ...(interactive ? [] : ['--no-browser'])], env);

  step('latchkey status');
  await run(process.execPath, [cli, 'status'], env);

  step('What the AWS CLI gets from credential_process (secret shortened)');
  const printed = spawnSync(process.execPath, [cli, 'credential-process', '--profile', 'demo-dev'], { env, encoding: 'utf8' });
  if (printed.status !== 0) throw new Error(`credential-process failed: ${printed.stderr}`);
  const credentials = JSON.parse(printed.stdout);
  say(JSON.stringify({ ...credentials, SecretAccessKey: `${credentials.SecretAccessKey.slice(0, 4)}…`, SessionToken: `${credentials.SessionToken.slice(0, 8)}…` }));

  step('Try it');
  say(`The profile demo-dev in ${configFile} reads:\n  credential_process = ${credentialProcess}`);
  if (interactive) {
    say('In another terminal, point at this demo, then ask the AWS CLI v2 or run any command through Latchkey:');
    say(`  export AWS_CONFIG_FILE=${quote(configFile)} LATCHKEY_SOCKET=${quote(env.LATCHKEY_SOCKET)}`);
    say('  aws configure export-credentials --profile demo-dev');
    say(`  ${quote(process.execPath)} ${quote(cli)} exec --profile demo-dev -- env`);
    say('(The credentials come from the emulator: real AWS would refuse them.)');
    say('\nLatchkey keeps running; press Ctrl+C to stop and clean up.');
    await new Promise(() => undefined);
  }
  say('On your own machine: put such a profile in ~/.aws/config (or run `latchkey setup-profiles --session NAME`) and sign in once a day.');
  await signOut();
} catch (error) {
  if (agentLog !== undefined) process.stderr.write(`The agent's log:\n${await readFile(agentLog, 'utf8').catch(() => '(none)')}`);
  throw error;
} finally {
  await cleanUp();
}

async function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  for (const child of children.reverse()) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    }
  }
  await rm(dir, { recursive: true, force: true });
  if (interactive) {
    say(`\nStopped; the demo's config, socket and keychain entries are gone. In a terminal where you`);
    say('pointed at it, run `unset AWS_CONFIG_FILE LATCHKEY_SOCKET` before using latchkey or aws again.');
  }
}

function step(text) {
  process.stdout.write(`\n== ${text}\n`);
}

function say(text) {
  process.stdout.write(`${text}\n`);
}

/** Runs a command with this terminal; asynchronously, so the demo can approve meanwhile. */
async function run(command, args, env = process.env) {
  const child = spawn(command, args, { stdio: 'inherit', env });
  const [code] = await new Promise((done) => child.once('exit', (...outcome) => done(outcome)));
  if (code !== 0) throw new Error(`${args.slice(0, 2).join(' ')} exited ${code}`);
}

function quote(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

function firstLine(stream) {
  return new Promise((done, fail) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) done(text.split('\n')[0].trim());
    });
    stream.on('end', () => fail(new Error('the emulator ended before printing its address')));
  });
}

/** The Electron binary when one is installed (the `electron` package's path file exists). */
function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

async function waitForAgent(env) {
  for (let i = 0; i < 100; i += 1) {
    const probe = spawnSync(process.execPath, [cli, 'status', '--json'], { env, encoding: 'utf8' });
    if (probe.status === 0) return;
    await sleep(100);
  }
  throw new Error('Latchkey did not start within 10 seconds');
}

async function pendingCode(baseUrl) {
  for (;;) {
    const response = await fetch(`${baseUrl}/_emulator/pending`).catch(() => undefined);
    const pending = response?.ok ? await response.json() : undefined;
    // A device code, or the request code of a PKCE sign-in's authorize page.
    const code = pending?.deviceUserCodes?.[0] ?? pending?.authorizeUserCodes?.[0];
    if (code) return code;
    await sleep(200);
  }
}

async function approve(baseUrl, userCode) {
  await fetch(`${baseUrl}/_emulator/approve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userCode }),
  });
}

/** Without a person at the terminal, the demo plays the person: approve once the code shows. */
async function approveWhenIssued(baseUrl) {
  const code = await pendingCode(baseUrl);
  await sleep(1500);
  say(`(demo) approving ${code} in the emulator, as you would in the browser`);
  await approve(baseUrl, code);
}

async function approveOnEnter(baseUrl) {
  const lines = createInterface({ input: process.stdin });
  await new Promise((done) => lines.once('line', done));
  lines.close();
  await approve(baseUrl, await pendingCode(baseUrl));
}

function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}
