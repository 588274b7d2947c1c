import { describe, expect, it } from 'vitest';
import { isWsl } from '../../../main/core/wsl-detection';
import { readKernelRelease } from '../../../main/files/kernel-release';

describe('isWsl', () => {
  it.each<[string, Record<string, string>, string | undefined, boolean]>([
    ['distro_name_set_by_wsl', { WSL_DISTRO_NAME: 'Ubuntu' }, '6.8.0-45-generic', true],
    ['interop_socket_set_by_wsl', { WSL_INTEROP: '/run/WSL/8_interop' }, undefined, true],
    ['wsl2_kernel_under_sudo_without_the_variables', {}, '5.15.153.1-microsoft-standard-WSL2', true],
    ['wsl1_kernel_spelled_with_a_capital', {}, '4.4.0-19041-Microsoft', true],
    ['plain_linux_kernel', {}, '6.1.0-28-amd64', false],
    ['no_kernel_release_readable', {}, undefined, false],
    ['empty_variables_count_as_unset', { WSL_DISTRO_NAME: '', WSL_INTEROP: '' }, '6.1.0-28-amd64', false],
  ])('%s', (_name, env, kernelRelease, expected) => {
    expect(isWsl(env, kernelRelease)).toBe(expected);
  });
});

describe('readKernelRelease', () => {
  it('reads /proc/sys/kernel/osrelease without its newline', () => {
    const read = (path: string): string => (path === '/proc/sys/kernel/osrelease' ? '5.15.153.1-microsoft-standard-WSL2\n' : '');
    expect(readKernelRelease(read)).toBe('5.15.153.1-microsoft-standard-WSL2');
  });

  it('is undefined where the file cannot be read (macOS, Windows, a locked-down /proc)', () => {
    expect(
      readKernelRelease(() => {
        throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      }),
    ).toBeUndefined();
  });
});
