import { describe, expect, it } from 'vitest';
import { chooseSignInFlow, type FlowChoiceContext } from '../../../main/core/sign-in-flow-choice';

describe('chooseSignInFlow', () => {
  it.each<[string, FlowChoiceContext, string]>([
    ['macos_desktop_defaults_to_pkce', { platform: 'darwin', env: {} }, 'pkce'],
    ['windows_desktop_defaults_to_pkce', { platform: 'win32', env: {} }, 'pkce'],
    ['linux_with_x11_defaults_to_pkce', { platform: 'linux', env: { DISPLAY: ':0' } }, 'pkce'],
    ['linux_with_wayland_defaults_to_pkce', { platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } }, 'pkce'],
    ['linux_without_display_uses_device_code', { platform: 'linux', env: {} }, 'device-code'],
    ['ssh_session_uses_device_code_even_with_forwarded_x', { platform: 'linux', env: { DISPLAY: 'localhost:10.0', SSH_CONNECTION: '10.0.0.1 5 10.0.0.2 22' } }, 'device-code'],
    ['ssh_into_a_mac_uses_device_code', { platform: 'darwin', env: { SSH_TTY: '/dev/ttys001' } }, 'device-code'],
    ['asked_for_device_code_on_a_desktop', { platform: 'darwin', env: {}, requested: 'device-code' }, 'device-code'],
    ['asked_for_pkce_over_ssh', { platform: 'linux', env: { SSH_TTY: '/dev/pts/0' }, requested: 'pkce' }, 'pkce'],
  ])('%s', (_name, context, expected) => {
    expect(chooseSignInFlow(context)).toBe(expected);
  });
});
