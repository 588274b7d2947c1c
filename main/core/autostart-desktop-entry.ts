import { LatchkeyError } from './errors';

/** The file name under `$XDG_CONFIG_HOME/autostart/`. */
export const AUTOSTART_FILE_NAME = 'latchkey.desktop';

/** The flag a login start passes: the app comes up in the tray, without its window. */
export const HIDDEN_START_FLAG = '--hidden';

export interface AutostartTarget {
  /** `process.execPath` of the running app. */
  execPath: string;
  /** The `APPIMAGE` variable: inside an AppImage, execPath is a temporary mount that is gone after logout. */
  appImagePath?: string;
}

/**
 * The XDG autostart entry (Desktop Application Autostart Specification) that starts
 * Latchkey hidden at login. `Exec=` follows the Desktop Entry Specification's quoting,
 * so a path like `/home/ann/Apps/Latchkey 1.0.AppImage` survives.
 */
export function autostartDesktopEntry(target: AutostartTarget): string {
  const program = target.appImagePath !== undefined && target.appImagePath.trim() !== '' ? target.appImagePath : target.execPath;
  if (program.includes('=')) {
    // The specification forbids "=" in the program path, and some launchers split on it.
    throw new LatchkeyError('config_error', `Cannot start Latchkey at login from ${program}: the path contains "=". Move the app to another folder.`);
  }
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    'Name=Latchkey',
    'Comment=AWS IAM Identity Center credentials for every tool',
    `Exec=${desktopExecLine([program, HIDDEN_START_FLAG])}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Reserved characters of the Exec key: an argument holding one must be quoted. */
const RESERVED = /[ \t\n"'\\><~|&;$*?#()`]/;

/**
 * One `Exec=` value. Two layers, applied in this order when writing (the reverse of how a
 * launcher reads it): the Exec quoting (wrap in double quotes, backslash before `"`, `` ` ``,
 * `$`, `\`; `%` doubled because it starts a field code), then the general string escapes
 * of the file format (`\` becomes `\\`, a newline `\n`). A literal backslash therefore
 * ends up as four, as the specification notes.
 */
export function desktopExecLine(argv: readonly string[]): string {
  return argv.map((arg) => escapeStringValue(quoteExecArgument(arg))).join(' ');
}

function quoteExecArgument(arg: string): string {
  const percent = arg.replace(/%/g, '%%');
  if (arg !== '' && !RESERVED.test(arg)) return percent;
  return `"${percent.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
}

function escapeStringValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
}
