import { describe, expect, it, vi } from 'vitest';
import { readWindowsTaskbarTheme, type RegQuery } from '../../../main/desktop/windows-taskbar-theme';

/** What `reg query ... /v SystemUsesLightTheme` prints on Windows 10 and 11. */
function regOutput(value: string): string {
  return `\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize\r\n    SystemUsesLightTheme    REG_DWORD    ${value}\r\n\r\n`;
}

function exitError(code: number | string): Error {
  return Object.assign(new Error(`Command failed: reg.exe (${code})`), { code });
}

describe('readWindowsTaskbarTheme', () => {
  it.each([
    ['0x0', 'dark'],
    ['0x1', 'light'],
  ] as const)('reads SystemUsesLightTheme %s as a %s taskbar', async (value, theme) => {
    await expect(readWindowsTaskbarTheme({}, async () => regOutput(value))).resolves.toBe(theme);
  });

  it('asks reg.exe by its full path under SystemRoot for the Personalize value alone', async () => {
    const query = vi.fn<RegQuery>(async () => regOutput('0x1'));
    await readWindowsTaskbarTheme({ SystemRoot: 'D:\\WINDOWS' }, query);
    expect(query).toHaveBeenCalledWith('D:\\WINDOWS\\System32\\reg.exe', [
      'query',
      'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize',
      '/v',
      'SystemUsesLightTheme',
    ]);
  });

  it('takes a missing value (reg exits 1) for the dark taskbar of Windows before 10 1903', async () => {
    await expect(readWindowsTaskbarTheme({}, async () => Promise.reject(exitError(1)))).resolves.toBe('dark');
  });

  const cannotStart: RegQuery = async () => Promise.reject(exitError('ENOENT'));
  const answersOtherwise: RegQuery = async () => 'ERROR: Access is denied.\r\n';
  it.each([
    ['reg.exe cannot be started', cannotStart],
    ['reg.exe answers something else', answersOtherwise],
  ] as const)('fails when %s, so the caller can fall back', async (_case, query) => {
    await expect(readWindowsTaskbarTheme({}, query)).rejects.toThrow();
  });
});
