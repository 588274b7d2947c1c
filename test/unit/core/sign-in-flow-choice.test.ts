import { describe, expect, it } from 'vitest';
import { canOpenBrowser, chooseSignInFlow, type FlowChoiceContext } from '../../../main/core/sign-in-flow-choice';

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
    ['wsl_defaults_to_device_code', { platform: 'linux', env: {}, wsl: true }, 'device-code'],
    ['wsl_with_wslg_display_still_uses_device_code', { platform: 'linux', env: { DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0' }, wsl: true }, 'device-code'],
    ['asked_for_pkce_on_wsl', { platform: 'linux', env: {}, wsl: true, requested: 'pkce' }, 'pkce'],
  ])('%s', (_name, context, expected) => {
    expect(chooseSignInFlow(context)).toBe(expected);
  });
});

describe('canOpenBrowser', () => {
  it.each<[string, FlowChoiceContext, boolean]>([
    ['wsl_opens_the_windows_browser', { platform: 'linux', env: {}, wsl: true }, true],
    ['ssh_into_wsl_opens_nothing', { platform: 'linux', env: { SSH_CONNECTION: '10.0.0.1 5 10.0.0.2 22' }, wsl: true }, false],
    ['linux_desktop_opens_its_browser', { platform: 'linux', env: { DISPLAY: ':0' } }, true],
    ['linux_without_display_opens_nothing', { platform: 'linux', env: {} }, false],
    ['macos_opens_its_browser', { platform: 'darwin', env: {} }, true],
  ])('%s', (_name, context, expected) => {
    expect(canOpenBrowser(context)).toBe(expected);
  });
});
