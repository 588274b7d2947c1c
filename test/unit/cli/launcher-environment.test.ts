import { describe, expect, it } from 'vitest';
import { createCliContext } from '../../../main/cli/cli-context';
import { childEnv } from '../../../main/cli/commands/exec';

function fakeProcess(env: Record<string, string>): NodeJS.Process {
  const stream = { write: () => true, isTTY: false };
  return {
    env,
    platform: 'linux',
    execPath: '/opt/Latchkey/latchkey-desktop',
    argv: ['/opt/Latchkey/latchkey-desktop', '/opt/Latchkey/resources/app.asar.unpacked/dist/cli/latchkey.cjs'],
    stdout: stream,
    stderr: stream,
    getuid: () => 1000,
  } as unknown as NodeJS.Process;
}

const noLauncher = async (): Promise<never> => {
  throw new Error('not used');
};

describe('running from the installed app launcher', () => {
  it('names the launcher, not the bare app binary, in commands that run Latchkey again', () => {
    const ctx = createCliContext(fakeProcess({ LATCHKEY_LAUNCHER: '/opt/Latchkey/resources/bin/latchkey', LATCHKEY_SOCKET: '/tmp/x.sock' }), noLauncher);
    expect(ctx.self).toEqual({ command: '/opt/Latchkey/resources/bin/latchkey', args: [] });
  });

  it('names node and the script when run from a checkout', () => {
    const ctx = createCliContext(fakeProcess({ LATCHKEY_SOCKET: '/tmp/x.sock' }), noLauncher);
    expect(ctx.self.command).toBe('/opt/Latchkey/latchkey-desktop');
    expect(ctx.self.args).toHaveLength(1);
  });

  it('takes the launcher variables out of the environment, so the command latchkey exec runs never sees them', () => {
    const env = { PATH: '/usr/bin', ELECTRON_RUN_AS_NODE: '1', LATCHKEY_LAUNCHER: '/x/latchkey', AWS_PROFILE: 'dev', AWS_REGION: 'eu-west-1' };
    const ctx = createCliContext(fakeProcess(env), noLauncher);
    expect(childEnv(ctx.env, 'http://127.0.0.1:4000/v1/container-credentials/id', 'token')).toEqual({
      PATH: '/usr/bin',
      AWS_REGION: 'eu-west-1',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:4000/v1/container-credentials/id',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'token',
    });
    expect(ctx.self.command).toBe('/x/latchkey');
  });
});
