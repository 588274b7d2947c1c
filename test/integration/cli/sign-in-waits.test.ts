import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../main/agent/agent-event';
import { AgentHarness } from '../agent/agent-harness';
import { cliSuite } from './cli-suite';
import { runCli } from './run-cli';

// What a tool sees while a session signs in, or is signed out, against a real agent and
// the emulator (issue 10, "Waiting and blocking"): answers at once, says where the
// sign-in runs, never runs a command without credentials, never re-signs a signed-in session.

const suite = cliSuite();

function cliEnv(h: AgentHarness): Record<string, string> {
  return { ...h.env, LATCHKEY_SOCKET: h.socketPath, HOME: h.dir, NO_COLOR: '1' };
}

/** A device-code sign-in started as `latchkey login` (pid 4242) starts it, left waiting for approval; resolves with its code. */
async function signInInProgress(h: AgentHarness): Promise<string> {
  const code = new Promise<string>((resolve) => {
    h.agent.events.on((event: AgentEvent) => {
      if (event.type === 'sign-in-progress' && event.progress.type === 'code-issued') resolve(event.progress.userCode);
    });
  });
  const started = await h.request('POST', '/v1/sessions/corp/sign-in', {
    body: { flow: 'device-code', openBrowser: false, requester: { command: 'latchkey login', pid: 4242 } },
  });
  expect(started.status).toBe(202);
  return code;
}

describe('while a sign-in is in progress', () => {
  it.each([
    ['export', ['export', '--profile', 'dev']],
    ['credential-process --no-wait', ['credential-process', '--profile', 'dev', '--no-wait']],
    ['accounts', ['accounts', '--session', 'corp']],
  ])('%s answers at once with exit 3, naming who signs in and what to do', async (_name, args) => {
    const harness = suite.closesAfterTest(await AgentHarness.start({ emulator: { autoApprove: false } }));
    await signInInProgress(harness);
    const started = Date.now();
    const run = await runCli(suite.cli.entry, args, cliEnv(harness));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'latchkey: A sign-in to corp is in progress in "latchkey login" (pid 4242); approve it there, or run "latchkey login --session corp" to see its code here, then run this again.\n',
    );
  });

  it('credential-process waits for it, says where it runs after 1.5 s, and answers once it is approved', async () => {
    const harness = suite.closesAfterTest(await AgentHarness.start({ emulator: { autoApprove: false } }));
    const userCode = await signInInProgress(harness);
    const h = harness;
    const approve = setTimeout(() => void h.emulatorAdmin('POST', 'approve', { userCode }), 2500);
    try {
      const run = await runCli(suite.cli.entry, ['credential-process', '--profile', 'dev'], cliEnv(harness));
      expect(run.stderr).toBe(
        'latchkey: waiting up to 2 minutes for the sign-in to corp in "latchkey login" (pid 4242); approve it there, or run "latchkey login --session corp" in another terminal to see its code.\n',
      );
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.any(String) });
    } finally {
      clearTimeout(approve);
    }
  });

  it('a wait that runs out answers 401 with a sentence that says where the sign-in runs', async () => {
    const harness = suite.closesAfterTest(await AgentHarness.start({ emulator: { autoApprove: false } }));
    await signInInProgress(harness);
    const response = await harness.request('GET', '/v1/credentials?profile=dev&waitSeconds=1');
    expect(response.status).toBe(401);
    expect(response.json).toEqual({
      error: {
        code: 'signed_out',
        message:
          'corp is still not signed in after 1 second: the sign-in is in progress in "latchkey login" (pid 4242); approve it there, or run "latchkey login --session corp" to see its code here, then run this again.',
        signIn: { session: 'corp', inProgress: { by: 'command', command: 'latchkey login', pid: 4242 }, app: false },
      },
    });
  });
});

describe('latchkey exec on a signed-out session', () => {
  it('exits 3 with the login command before running anything', async () => {
    const harness = suite.closesAfterTest(await AgentHarness.start());
    const run = await runCli(suite.cli.entry, ['exec', '--profile', 'dev', '--', 'sh', '-c', 'echo ran'], cliEnv(harness));
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('latchkey: Session "corp" is not signed in; run "latchkey login --session corp".\n');
  });
});

describe('latchkey login on a signed-in session', () => {
  it('says until when it is signed in and starts nothing; --force signs in again', async () => {
    const harness = suite.closesAfterTest(await AgentHarness.start());
    await harness.signIn();
    const before = await harness.calls();
    const run = await runCli(suite.cli.entry, ['login', '--session', 'corp'], cliEnv(harness));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^corp is signed in until \d\d:\d\d \(renews by itself\); run "latchkey login --session corp --force" to sign in again\.\n$/);
    expect(await harness.calls()).toEqual(before);

    const forced = await runCli(suite.cli.entry, ['login', '--session', 'corp', '--force', '--device-code', '--no-browser'], cliEnv(harness));
    expect(forced.stderr).toMatch(/\nSigned in to corp until \d\d:\d\d \(renews by itself\)\.\n$/);
    expect(forced.code).toBe(0);
    expect((await harness.calls()).StartDeviceAuthorization).toBe((before.StartDeviceAuthorization ?? 0) + 1);
  });
});
