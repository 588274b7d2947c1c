import { describe, expect, it } from 'vitest';
import { credentialProcessLines } from '../../../main/core/credential-process-lines';
import { isLatchkeyError } from '../../../main/core/errors';

const ROLE = { session: 'corp', accountId: '111111111111', roleName: 'Developer' };

// The quoting itself, and that botocore, the AWS CLI v2 and the JS SDK run what it writes
// as the same words, are credential-process-command's tests; these are the lines around it.
describe('the credential_process lines the tray copies', () => {
  it.each([
    [
      'linux_deb',
      ['/opt/Latchkey/resources/bin/latchkey'],
      'posix',
      'credential_process = /opt/Latchkey/resources/bin/latchkey credential-process --session corp --account 111111111111 --role Developer\nregion = eu-west-1',
    ],
    [
      'linux_path_with_spaces',
      ['/home/ann/My Apps/latchkey/resources/bin/latchkey'],
      'posix',
      "credential_process = '/home/ann/My Apps/latchkey/resources/bin/latchkey' credential-process --session corp --account 111111111111 --role Developer\nregion = eu-west-1",
    ],
    [
      'macos_path_with_spaces',
      ['/Applications/Dev Tools/Latchkey.app/Contents/Resources/bin/latchkey'],
      'posix',
      "credential_process = '/Applications/Dev Tools/Latchkey.app/Contents/Resources/bin/latchkey' credential-process --session corp --account 111111111111 --role Developer\nregion = eu-west-1",
    ],
    [
      'windows_path_with_spaces',
      ['C:\\Users\\Ann Lee\\AppData\\Local\\Programs\\latchkey\\resources\\bin\\latchkey.exe'],
      'windows',
      'credential_process = "C:\\Users\\Ann Lee\\AppData\\Local\\Programs\\latchkey\\resources\\bin\\latchkey.exe" credential-process --session corp --account 111111111111 --role Developer\r\nregion = eu-west-1',
    ],
    [
      'source_checkout',
      ['node', '/home/ann/src/latch key/dist/cli/latchkey.cjs'],
      'posix',
      "credential_process = node '/home/ann/src/latch key/dist/cli/latchkey.cjs' credential-process --session corp --account 111111111111 --role Developer\nregion = eu-west-1",
    ],
  ] as const)('%s', (_name, latchkeyCommand, dialect, expected) => {
    expect(credentialProcessLines({ ...ROLE, latchkeyCommand, region: 'eu-west-1', dialect })).toBe(expected);
  });

  it('quotes a session and role as the command is quoted', () => {
    const lines = credentialProcessLines({ latchkeyCommand: ['/opt/l'], session: 'my corp', accountId: '111111111111', roleName: "it's", region: 'us-east-1', dialect: 'posix' });
    expect(lines.split('\n')[0]).toBe("credential_process = /opt/l credential-process --session 'my corp' --account 111111111111 --role 'it'\\''s'");
  });

  it.each([
    ['no region known', undefined],
    ['a region that is not a region code', 'eu-west-1\n[profile x]'],
  ])('writes no region line with %s', (_case, region) => {
    expect(credentialProcessLines({ ...ROLE, latchkeyCommand: ['/opt/l'], region, dialect: 'posix' })).toBe(
      'credential_process = /opt/l credential-process --session corp --account 111111111111 --role Developer',
    );
  });

  it('refuses a launcher path no Windows client would run as written', () => {
    let caught: unknown;
    try {
      credentialProcessLines({ ...ROLE, latchkeyCommand: ['C:\\Users\\100%\\latchkey.cmd'], region: 'eu-west-1', dialect: 'windows' });
    } catch (error) {
      caught = error;
    }
    expect(isLatchkeyError(caught, 'config_error')).toBe(true);
  });
});
