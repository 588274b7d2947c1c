import { describe, expect, it } from 'vitest';
import { AgentHarness } from '../agent/agent-harness';
import { EmulatorAdmin, type CallCounts } from '../../support/emulator-admin';
import { runCliWithTerminalStderr } from '../../support/terminal-stderr';
import { cliSuite } from './cli-suite';
import { runCli } from './run-cli';

// `accounts` and `setup-profiles` over 300 throttled accounts (issue 10, "Waiting and
// blocking"): one listing serves both, and a terminal sees its progress on stderr.

const suite = cliSuite();

function calls(h: AgentHarness): Promise<CallCounts> {
  return new EmulatorAdmin(h.emulator.baseUrl).calls();
}

function cliEnv(h: AgentHarness): Record<string, string> {
  return { ...h.env, LATCHKEY_SOCKET: h.socketPath, HOME: h.dir, NO_COLOR: '1' };
}

/** A signed-in agent over 300 accounts of 3 roles, its role listing throttled: a listing takes seconds and backs off. */
async function throttledDirectory(): Promise<AgentHarness> {
  const h = await AgentHarness.start();
  expect((await h.signIn()).status).toBe(200);
  await h.emulatorAdmin('POST', 'directory', { generate: { accounts: 300, rolesPerAccount: 3 } });
  // Zeroes the call counts; throttles set after it stay.
  await h.emulatorAdmin('POST', 'reset');
  await h.emulatorAdmin('POST', 'throttle', { operation: 'ListAccountRoles', perSecond: 100 });
  return h;
}

describe('one listing for accounts and setup-profiles', () => {
  it('setup-profiles after accounts lists nothing again, and --refresh lists anew', async () => {
    const harness = suite.closesAfterTest(await throttledDirectory());
    const listed = await runCli(suite.cli.entry, ['accounts', '--session', 'corp'], cliEnv(harness), 60_000);
    expect(listed.code).toBe(0);
    // Not a terminal: no progress at all, and stdout holds only the listing.
    expect(listed.stderr).toBe('');
    expect(listed.stdout.trimEnd().split('\n')).toHaveLength(300);
    const afterAccounts = await calls(harness);
    expect(afterAccounts.ListAccounts).toBeGreaterThanOrEqual(1);
    // Every account once, plus the calls the throttle refused: the listing did back off.
    expect(afterAccounts.ListAccountRoles).toBeGreaterThan(300);

    const written = await runCli(suite.cli.entry, ['setup-profiles', '--session', 'corp'], cliEnv(harness), 60_000);
    expect(written.code).toBe(0);
    expect(written.stderr).toBe('');
    expect(written.stdout).toContain('Wrote 900 profiles for corp');
    const afterSetup = await calls(harness);
    expect(afterSetup.ListAccounts).toBe(afterAccounts.ListAccounts);
    expect(afterSetup.ListAccountRoles).toBe(afterAccounts.ListAccountRoles);

    const refreshed = await runCli(suite.cli.entry, ['setup-profiles', '--session', 'corp', '--refresh'], cliEnv(harness), 60_000);
    expect(refreshed.code).toBe(0);
    const afterRefresh = await calls(harness);
    expect(afterRefresh.ListAccounts).toBe(2 * afterAccounts.ListAccounts);
    expect(afterRefresh.ListAccountRoles).toBeGreaterThanOrEqual(afterAccounts.ListAccountRoles + 300);
  }, 120_000);

  it('shows the listing progress as one updating line on a terminal stderr, never on stdout', async () => {
    const harness = suite.closesAfterTest(await throttledDirectory());
    const run = await runCliWithTerminalStderr(suite.cli.entry, ['accounts', '--session', 'corp'], cliEnv(harness));
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(300);
    expect(run.stdout).not.toContain('Listing');
    const updates = run.terminal.split('\r\x1b[2K');
    // Rewrites of one line (no line breaks between them), counting up to all 300, then cleared.
    expect(updates[0]).toBe('');
    expect(updates.at(-1)).toBe('');
    const shown = updates.slice(1, -1);
    expect(shown.length).toBeGreaterThan(10);
    for (const text of shown) expect(text).toMatch(/^Listing roles: \d{1,3} of 300 accounts…$/);
    expect(shown[0]).toBe('Listing roles: 0 of 300 accounts…');
    expect(shown.at(-1)).toBe('Listing roles: 300 of 300 accounts…');
  }, 120_000);

  it('shows nothing on a terminal when a kept listing answers at once', async () => {
    const harness = suite.closesAfterTest(await throttledDirectory());
    expect((await runCli(suite.cli.entry, ['accounts', '--session', 'corp'], cliEnv(harness), 60_000)).code).toBe(0);
    const run = await runCliWithTerminalStderr(suite.cli.entry, ['accounts', '--session', 'corp', '--json'], cliEnv(harness));
    expect(run.code).toBe(0);
    expect(run.terminal).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ session: 'corp', accounts: expect.any(Array) });
  }, 120_000);
});
