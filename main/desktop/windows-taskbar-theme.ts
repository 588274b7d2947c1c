import { execFile } from 'node:child_process';
import type { PanelTheme } from '../core/tray-icon-files';

/** Runs `reg.exe` with `args` and resolves its stdout; rejects with the child's error (`code` is its exit code). */
export type RegQuery = (regExe: string, args: readonly string[]) => Promise<string>;

/**
 * Where Windows keeps the taskbar's theme apart from the apps' theme ("Choose your
 * default Windows mode" against "app mode"): a dark taskbar with light apps is Windows
 * 10's default, and there `nativeTheme.shouldUseDarkColors` (the apps' mode) is false.
 */
const PERSONALIZE_KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize';
const VALUE = 'SystemUsesLightTheme';
/** A registry read that takes longer than this has hung; the tray keeps the icon it has. */
const REG_QUERY_TIMEOUT_MS = 2_000;
/** `reg query` exits with 1 when the value does not exist. */
const REG_NOT_FOUND_EXIT_CODE = 1;

/**
 * The taskbar's theme, read from the registry. A missing value means dark: Windows before
 * 10 version 1903 has only a dark taskbar and no such value. Rejects when reg.exe could
 * not be run or answered something else; the caller picks a fallback.
 */
export async function readWindowsTaskbarTheme(env: Readonly<Record<string, string | undefined>>, query: RegQuery = runRegExe): Promise<PanelTheme> {
  // By full path: a bare name would be looked up in the app's own folder first.
  const regExe = `${env.SystemRoot ?? 'C:\\Windows'}\\System32\\reg.exe`;
  let output: string;
  try {
    output = await query(regExe, ['query', PERSONALIZE_KEY, '/v', VALUE]);
  } catch (error) {
    if ((error as { code?: unknown }).code === REG_NOT_FOUND_EXIT_CODE) return 'dark';
    throw error;
  }
  // "    SystemUsesLightTheme    REG_DWORD    0x1"
  const match = new RegExp(`^\\s*${VALUE}\\s+REG_DWORD\\s+0x([0-9a-f]+)\\s*$`, 'im').exec(output);
  if (match === null) throw new Error(`reg.exe answered without a ${VALUE} DWORD.`);
  return Number.parseInt(match[1] ?? '0', 16) === 0 ? 'dark' : 'light';
}

function runRegExe(regExe: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(regExe, [...args], { windowsHide: true, timeout: REG_QUERY_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout);
    });
  });
}
