import { describe, expect, it } from 'vitest';
import { autostartDesktopEntry, desktopExecLine } from '../../../main/core/autostart-desktop-entry';

describe('Exec= quoting (Desktop Entry Specification)', () => {
  it.each([
    ['plain_path_unquoted', ['/opt/Latchkey/latchkey', '--hidden'], '/opt/Latchkey/latchkey --hidden'],
    ['space_quoted', ['/home/ann/My Apps/Latchkey.AppImage'], '"/home/ann/My Apps/Latchkey.AppImage"'],
    ['double_quote_escaped', ['/a/"b"'], '"/a/\\\\"b\\\\""'],
    ['backtick_escaped', ['/a/`b`'], '"/a/\\\\`b\\\\`"'],
    ['dollar_escaped', ['/a/$HOME'], '"/a/\\\\$HOME"'],
    ['backslash_becomes_four', ['/a\\b'], '"/a\\\\\\\\b"'],
    ['percent_doubled_unquoted', ['/a/100%'], '/a/100%%'],
    ['percent_doubled_quoted', ['/a b/100%'], '"/a b/100%%"'],
    ['single_quote_quoted', ["/home/o'neil/latchkey"], '"/home/o\'neil/latchkey"'],
    ['reserved_chars_quoted', ['/a/(x)&y;z'], '"/a/(x)&y;z"'],
    ['tilde_quoted', ['~/latchkey'], '"~/latchkey"'],
    ['empty_argument_quoted', [''], '""'],
  ])('%s', (_name, argv, expected) => {
    expect(desktopExecLine(argv)).toBe(expected);
  });
});

describe('the autostart entry', () => {
  it('starts the AppImage hidden when run from one', () => {
    const entry = autostartDesktopEntry({ execPath: '/tmp/.mount_Latch/latchkey', appImagePath: '/home/ann/Apps/Latchkey 1.0.AppImage' });
    expect(entry).toContain('Exec="/home/ann/Apps/Latchkey 1.0.AppImage" --hidden\n');
    expect(entry).toContain('X-GNOME-Autostart-enabled=true\n');
    expect(entry.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
  });

  it('uses the executable otherwise', () => {
    expect(autostartDesktopEntry({ execPath: '/opt/Latchkey/latchkey' })).toContain('Exec=/opt/Latchkey/latchkey --hidden\n');
  });

  it('refuses a program path with "=", which the specification forbids', () => {
    expect(() => autostartDesktopEntry({ execPath: '/opt/a=b/latchkey' })).toThrow(/contains "="/);
  });
});
