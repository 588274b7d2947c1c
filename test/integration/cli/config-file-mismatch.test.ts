import { copyFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentHarness } from '../agent/agent-harness';
import { cliSuite } from './cli-suite';
import { runCli } from './run-cli';

// A command whose AWS_CONFIG_FILE is not the running agent's (issue 10, "Regions and
// profiles"): the answer would come from a file the command never named, so it says so.

const suite = cliSuite();

/** The agent reads `<dir>/config`; the command gets a copy of it under another name, as if from another project. */
async function agentWithOtherConfig(): Promise<{ h: AgentHarness; env: Record<string, string>; otherFile: string; mismatch: string }> {
  const h = await AgentHarness.start();
  expect((await h.signIn()).status).toBe(200);
  const otherFile = join(h.dir, 'other-config');
  await copyFile(h.env.AWS_CONFIG_FILE, otherFile);
  const env = { ...h.env, AWS_CONFIG_FILE: otherFile, LATCHKEY_SOCKET: h.socketPath, HOME: h.dir, NO_COLOR: '1' };
  const mismatch =
    `latchkey: The Latchkey agent (pid ${process.pid}) reads the AWS config ${h.env.AWS_CONFIG_FILE}, not ${otherFile} that this command reads; ` +
    `stop the agent (kill ${process.pid}) and run the command again, which starts one that reads ${otherFile}, or run the command with AWS_CONFIG_FILE=${h.env.AWS_CONFIG_FILE}.\n`;
  return { h, env, otherFile, mismatch };
}

describe('another AWS config file than the agent reads', () => {
  it.each([
    ['credential-process', ['credential-process', '--profile', 'dev']],
    ['export', ['export', '--profile', 'dev']],
    ['exec', ['exec', '--profile', 'dev', '--', process.execPath, '-e', 'console.log("ran")']],
    ['accounts', ['accounts', '--session', 'corp']],
  ])('%s refuses with exit 1, naming both files and what to do, and prints nothing on stdout', async (_name, args) => {
    const { h, env, mismatch } = await agentWithOtherConfig();
    suite.closesAfterTest(h);
    const run = await runCli(suite.cli.entry, args, env);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(mismatch);
    expect(run.code).toBe(1);
  });

  it('status answers, and says on stderr which file the agent reads', async () => {
    const { h, env, mismatch } = await agentWithOtherConfig();
    suite.closesAfterTest(h);
    const run = await runCli(suite.cli.entry, ['status', '--json'], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(mismatch);
    expect(JSON.parse(run.stdout)).toMatchObject({ configFile: h.env.AWS_CONFIG_FILE });
  });

  it('is the same file when the command reaches it through a symlink, and is served', async () => {
    const harness = suite.closesAfterTest(await AgentHarness.start());
    expect((await harness.signIn()).status).toBe(200);
    const link = join(harness.dir, 'linked-config');
    await symlink(harness.env.AWS_CONFIG_FILE, link);
    const env = { ...harness.env, AWS_CONFIG_FILE: link, LATCHKEY_SOCKET: harness.socketPath, HOME: harness.dir, NO_COLOR: '1' };
    const served = await runCli(suite.cli.entry, ['credential-process', '--profile', 'dev'], env);
    expect(served.stderr).toBe('');
    expect(served.code).toBe(0);
    expect(JSON.parse(served.stdout)).toMatchObject({ Version: 1 });
    const status = await runCli(suite.cli.entry, ['status'], env);
    expect(status.stderr).toBe('');
  });
});
