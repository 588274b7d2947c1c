import { describe, expect, it } from 'vitest';
import { defaultSocketPath, isNamedPipe, type SocketPathOptions } from '../../../main/agent/socket-path';

const base: SocketPathOptions = { env: {}, platform: 'linux', homeDir: '/home/ana', uid: 1000, userName: 'ana', tmpDir: '/tmp' };

describe('defaultSocketPath', () => {
  it.each<[string, Partial<SocketPathOptions>, string]>([
    ['linux_uses_xdg_runtime_dir', { env: { XDG_RUNTIME_DIR: '/run/user/1000' } }, '/run/user/1000/latchkey/agent.sock'],
    ['linux_without_xdg_runtime_dir_uses_the_home_state_dir', {}, '/home/ana/.local/state/latchkey/agent.sock'],
    ['linux_follows_xdg_state_home', { env: { XDG_STATE_HOME: '/data/ana/state' } }, '/data/ana/state/latchkey/agent.sock'],
    ['linux_ignores_relative_xdg', { env: { XDG_RUNTIME_DIR: 'run', XDG_STATE_HOME: 'state' } }, '/home/ana/.local/state/latchkey/agent.sock'],
    ['linux_without_a_home_uses_tmp_with_uid', { homeDir: '' }, '/tmp/latchkey-1000/agent.sock'],
    ['linux_with_root_as_home_uses_tmp_with_uid', { homeDir: '/' }, '/tmp/latchkey-1000/agent.sock'],
    ['freebsd_like_linux', { platform: 'freebsd', env: { XDG_RUNTIME_DIR: '/var/run/xdg/ana' } }, '/var/run/xdg/ana/latchkey/agent.sock'],
    ['macos_uses_application_support', { platform: 'darwin', env: { XDG_RUNTIME_DIR: '/ignored' } }, '/home/ana/Library/Application Support/Latchkey/agent.sock'],
    ['windows_uses_a_named_pipe', { platform: 'win32', userName: 'CORP\\ana' }, '\\\\.\\pipe\\latchkey-CORP_ana'],
    ['override_wins_everywhere', { platform: 'win32', env: { LATCHKEY_SOCKET: '/x/y.sock' } }, '/x/y.sock'],
    ['empty_override_is_unset', { env: { LATCHKEY_SOCKET: ' ' } }, '/home/ana/.local/state/latchkey/agent.sock'],
  ])('%s', (_name, options, expected) => {
    expect(defaultSocketPath({ ...base, ...options })).toBe(expected);
  });

  it('tells a named pipe from a file path', () => {
    expect(isNamedPipe('\\\\.\\pipe\\latchkey-ana')).toBe(true);
    expect(isNamedPipe('/tmp/latchkey-1000/agent.sock')).toBe(false);
  });
});
