import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentHarness } from '../agent/agent-harness';
import { installFakeXdgOpen } from '../../support/fake-xdg-open';
import { createSecondUser, JsonLineLog, secondUserSkipReason, type SecondUser } from '../../support/second-user';
import { buildCli, type BuiltCli } from './build-cli';
import { runCli } from './run-cli';

// docs/security.md, "Another local user": the command lines of xdg-open and the browser
// are readable by every local user (/proc/<pid>/cmdline), so no secret of a sign-in may be
// on them. A real second user reads every command line during `latchkey login`; the agent
// is the real one with its real browser guard, and `xdg-open` a fake on PATH that fetches
// what it is given as a browser would and keeps its command line a while.

const skipReason = secondUserSkipReason();
if (skipReason !== undefined) console.warn(`Browser command line tests skipped: ${skipReason}.`);

interface WatcherLine {
  event: string;
  pid?: number;
  cmdline?: string;
}

const LAUNCH_LINK = /http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{22}/;

let cli: BuiltCli;
let attacker: SecondUser;
let watcherScript: string;
let browserDir: string;
let restorePath: (() => void) | undefined;

beforeAll(async () => {
  if (skipReason !== undefined) return;
  cli = await buildCli();
  attacker = await createSecondUser();
  watcherScript = await attacker.stage('test/support/attacker/cmdline-watcher.mjs');
  browserDir = await mkdtemp(join(tmpdir(), 'lk-browser-'));
  restorePath = await installFakeXdgOpen(browserDir, [
    'const [url] = process.argv.slice(2);',
    'await fetch(url).then((response) => response.text()).catch(() => undefined);',
    // A browser keeps its command line for as long as it runs.
    'await new Promise((resolve) => setTimeout(resolve, 1500));',
  ]);
});

afterAll(async () => {
  restorePath?.();
  await attacker?.remove();
  if (cli !== undefined) await rm(cli.dir, { recursive: true, force: true });
  if (browserDir !== undefined) await rm(browserDir, { recursive: true, force: true });
});

const harnesses: AgentHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close();
});

/** `latchkey login` against a real agent while the second user watches every command line. */
async function loginWatched(flowFlag: '--pkce' | '--device-code') {
  // The agent's own browser (guard and system opener), not the harness's in-process fetch.
  const harness = await AgentHarness.start({ agent: { openBrowser: undefined } });
  harnesses.push(harness);
  const watcher = new JsonLineLog<WatcherLine>(attacker.spawn(process.execPath, [watcherScript]));
  await watcher.waitFor((line) => line.event === 'ready');
  const run = await runCli(cli.entry, ['login', '--session', 'corp', flowFlag], {
    LATCHKEY_SOCKET: harness.socketPath,
    HOME: harness.dir,
    AWS_CONFIG_FILE: harness.env.AWS_CONFIG_FILE,
    DISPLAY: ':99',
    NO_COLOR: '1',
  });
  // The watcher did see the browser's command line: what is not there was not missed.
  await watcher.waitFor((line) => line.event === 'cmdline' && (line.cmdline ?? '').includes('fake-browser.mjs'));
  const cmdlines = watcher.lines.filter((line) => line.event === 'cmdline').map((line) => line.cmdline ?? '');
  return { run, cmdlines };
}

describe.skipIf(skipReason !== undefined)('what another local user reads from command lines during a sign-in', () => {
  it('latchkey login --pkce: neither the state nor the code challenge', async () => {
    const { run, cmdlines } = await loginWatched('--pkce');
    expect(run.stderr).toMatch(/Signed in to corp/);
    expect(run.code).toBe(0);
    const authorizeUrl = new URL(/open this address in your browser:\s+(\S+)/.exec(run.stderr)?.[1] ?? 'http://none');
    const state = authorizeUrl.searchParams.get('state') ?? '';
    const challenge = authorizeUrl.searchParams.get('code_challenge') ?? '';
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const cmdline of cmdlines) {
      expect(cmdline).not.toContain(state);
      expect(cmdline).not.toContain(challenge);
      expect(cmdline).not.toMatch(/[?&](state|code_challenge)=/);
    }
    expect(cmdlines.some((cmdline) => LAUNCH_LINK.test(cmdline))).toBe(true);
  });

  it('latchkey login --device-code: not the user code', async () => {
    const { run, cmdlines } = await loginWatched('--device-code');
    expect(run.stderr).toMatch(/Signed in to corp/);
    expect(run.code).toBe(0);
    const userCode = /confirm this code:\s+(\S+)/.exec(run.stderr)?.[1] ?? '';
    expect(userCode).not.toBe('');
    for (const cmdline of cmdlines) {
      expect(cmdline).not.toContain(userCode);
      expect(cmdline).not.toMatch(/[?&]user_code=/);
    }
    expect(cmdlines.some((cmdline) => LAUNCH_LINK.test(cmdline))).toBe(true);
  });
});
