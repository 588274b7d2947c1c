import { describe, expect, it } from 'vitest';
import { parseAwsConfig } from '../../../main/core/aws-config';
import { profileNamesIn, updateProfileBlock, type ProfileBlockInput } from '../../../main/core/aws-config-profile-block';
import type { BlockAccount } from '../../../main/core/profile-names';
import { isLatchkeyError } from '../../../main/core/errors';

const ACCOUNTS: BlockAccount[] = [
  { accountId: '222222222222', accountName: 'Production', roles: ['ReadOnly'] },
  { accountId: '111111111111', accountName: 'Development', roles: ['ReadOnly', 'Developer'] },
];
const INPUT: ProfileBlockInput = { session: 'corp', accounts: ACCOUNTS, latchkeyCommand: ['/usr/bin/node', '/opt/latchkey/latchkey.mjs'], dialect: 'posix' };

const USER_CONFIG = `# my settings\r
[default]\r
region = eu-west-1\r
\r
[sso-session corp]\r
sso_start_url = https://corp.awsapps.com/start/#/\r
sso_region = eu-west-1\r
`;

/** The exact injection of issue 8, finding 2: a role name that opens a section of its own. */
const INJECTED_SECTION = '[profile evil]\ncredential_process = touch /tmp/pwned';
const INJECTION = `R\n${INJECTED_SECTION}`;

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('updateProfileBlock', () => {
  it('appends one profile per account and role, in a stable order, with latchkey_ keys', () => {
    const { text, profiles, changed } = updateProfileBlock('', INPUT);
    expect(changed).toBe(true);
    expect(profiles.map((p) => p.name)).toEqual(['Development-Developer', 'Development-ReadOnly', 'Production-ReadOnly']);
    expect(text).toBe(
      [
        '# BEGIN latchkey managed profiles (session corp)',
        '# Written by "latchkey setup-profiles --session corp"; run it again to update. Profile names and regions edited here are kept; other edits inside this block are replaced.',
        '[profile Development-Developer]',
        'credential_process = /usr/bin/node /opt/latchkey/latchkey.mjs credential-process --profile Development-Developer',
        'latchkey_session = corp',
        'latchkey_account_id = 111111111111',
        'latchkey_role_name = Developer',
        '',
        '[profile Development-ReadOnly]',
        'credential_process = /usr/bin/node /opt/latchkey/latchkey.mjs credential-process --profile Development-ReadOnly',
        'latchkey_session = corp',
        'latchkey_account_id = 111111111111',
        'latchkey_role_name = ReadOnly',
        '',
        '[profile Production-ReadOnly]',
        'credential_process = /usr/bin/node /opt/latchkey/latchkey.mjs credential-process --profile Production-ReadOnly',
        'latchkey_session = corp',
        'latchkey_account_id = 222222222222',
        'latchkey_role_name = ReadOnly',
        '# END latchkey managed profiles (session corp)',
        '',
      ].join('\n'),
    );
    expect(text).not.toMatch(/sso_account_id|sso_role_name/);
  });

  it('keeps every other byte, including CRLF line ends, and is idempotent', () => {
    const first = updateProfileBlock(USER_CONFIG, INPUT);
    expect(first.text.startsWith(`${USER_CONFIG}\r\n# BEGIN latchkey managed profiles (session corp)\r\n`)).toBe(true);
    expect(first.text.endsWith('# END latchkey managed profiles (session corp)\r\n')).toBe(true);
    const second = updateProfileBlock(first.text, { ...INPUT, accounts: [...ACCOUNTS].reverse() });
    expect(second.changed).toBe(false);
    expect(second.text).toBe(first.text);
  });

  it('replaces the block in place, leaving what follows untouched', () => {
    const before = `${updateProfileBlock('[profile mine]\nregion = us-east-1\n', INPUT).text}\n[profile after]\noutput = json  # trailing\n`;
    const after = updateProfileBlock(before, { ...INPUT, accounts: [ACCOUNTS[0] as BlockAccount] });
    expect(after.changed).toBe(true);
    expect(after.text.startsWith('[profile mine]\nregion = us-east-1\n\n# BEGIN')).toBe(true);
    expect(after.text.endsWith('# END latchkey managed profiles (session corp)\n\n[profile after]\noutput = json  # trailing\n')).toBe(true);
    expect(after.text).not.toMatch(/^\[profile Development-/m);
    expect(after.removed.map((p) => p.name)).toEqual(['Development-Developer', 'Development-ReadOnly']);
  });

  it('leaves another session\'s block alone', () => {
    const other = updateProfileBlock('', { ...INPUT, session: 'lab' }).text;
    const both = updateProfileBlock(other, INPUT);
    expect(both.text.startsWith(other)).toBe(true);
    expect(both.profiles.map((p) => p.name)).toEqual([
      'Development-Developer-111111111111',
      'Development-ReadOnly-111111111111',
      'Production-ReadOnly-222222222222',
    ]);
  });

  it.each<[string, Pick<ProfileBlockInput, 'latchkeyCommand' | 'dialect'>, string]>([
    ['posix', { latchkeyCommand: ["/opt/it's $HOME/latchkey"], dialect: 'posix' }, "credential_process = '/opt/it'\\''s $HOME/latchkey' credential-process --profile Production-ReadOnly"],
    [
      'windows',
      { latchkeyCommand: ['C:\\Users\\Ana Lopez\\AppData\\Local\\Programs\\latchkey\\resources\\bin\\latchkey.exe'], dialect: 'windows' },
      'credential_process = "C:\\Users\\Ana Lopez\\AppData\\Local\\Programs\\latchkey\\resources\\bin\\latchkey.exe" credential-process --profile Production-ReadOnly',
    ],
  ])('quotes the Latchkey command as the AWS clients on %s read it', (_platform, command, line) => {
    expect(updateProfileBlock('', { ...INPUT, ...command }).text.split('\n')).toContain(line);
  });

  it('ends a last line without newline before appending', () => {
    expect(updateProfileBlock('[default]\nregion = x', INPUT).text.startsWith('[default]\nregion = x\n\n# BEGIN')).toBe(true);
  });

  it('refuses a BEGIN line without its END line', () => {
    let caught: unknown;
    try {
      updateProfileBlock('# BEGIN latchkey managed profiles (session corp)\n[profile x]\n', INPUT);
    } catch (error) {
      caught = error;
    }
    expect(isLatchkeyError(caught, 'config_error')).toBe(true);
  });

  it.each<[string, Partial<ProfileBlockInput>, string]>([
    ['role_name_injection', { accounts: [{ accountId: '111111111111', accountName: 'Dev', roles: [INJECTION] }] }, 'a role name'],
    ['role_name_carriage_return', { accounts: [{ accountId: '111111111111', accountName: 'Dev', roles: ['R\r'] }] }, 'a role name'],
    ['role_name_outside_iam_rules', { accounts: [{ accountId: '111111111111', accountName: 'Dev', roles: ['a b'] }] }, 'a role name'],
    ['account_id_injection', { accounts: [{ accountId: `111111111111\n${INJECTED_SECTION}`, accountName: 'Dev', roles: ['R'] }] }, 'an account id'],
    ['account_id_not_twelve_digits', { accounts: [{ accountId: '1', accountName: 'Dev', roles: ['R'] }] }, 'an account id'],
    ['session_name_injection', { session: `corp\n${INJECTED_SECTION}` }, 'the session name'],
    ['latchkey_command_injection', { latchkeyCommand: [`/usr/bin/node\n${INJECTED_SECTION}`] }, 'the Latchkey command'],
    ['latchkey_command_escape', { latchkeyCommand: ['/usr/bin/node', '/opt/x\x1b[2J'] }, 'the Latchkey command'],
    ['latchkey_command_nul', { latchkeyCommand: ['/opt/x\0y'] }, 'the Latchkey command'],
    ['latchkey_command_percent_on_windows', { latchkeyCommand: ['C:\\100%\\latchkey.cmd'], dialect: 'windows' }, 'the Latchkey command'],
  ])('refuses to render %s, in one sentence that does not repeat the value', (_name, override, what) => {
    const error = thrown(() => updateProfileBlock(USER_CONFIG, { ...INPUT, ...override }));
    expect(isLatchkeyError(error, 'config_error')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(what);
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).not.toContain('evil');
    expect(message).not.toContain('\x1b');
  });

  it('refuses a bad session name before looking for its block', () => {
    const config = '# BEGIN latchkey managed profiles (session corp\n[profile evil])\n';
    const error = thrown(() => updateProfileBlock(config, { ...INPUT, session: 'corp\n[profile evil]' }));
    expect(isLatchkeyError(error, 'config_error')).toBe(true);
    expect((error as Error).message).not.toContain('evil');
  });

  it('turns an account name carrying an injection into a harmless profile name', () => {
    const { text } = updateProfileBlock(USER_CONFIG, { ...INPUT, accounts: [{ accountId: '111111111111', accountName: `Dev\n${INJECTED_SECTION}`, roles: ['R'] }] });
    const config = parseAwsConfig(text, '/tmp/config');
    expect([...config.profiles.keys()]).toEqual(['Dev-profile-evil-credential_process-touch-tmp-pwned-R']);
    expect(text).not.toMatch(/^\[profile evil\]/m);
  });

  it('writes profiles that the config parser serves with credential_process', () => {
    const { text } = updateProfileBlock(USER_CONFIG, INPUT);
    const config = parseAwsConfig(text, '/tmp/config');
    expect(config.problems).toEqual([]);
    expect(config.profiles.get('Production-ReadOnly')).toEqual({
      name: 'Production-ReadOnly',
      session: 'corp',
      accountId: '222222222222',
      roleName: 'ReadOnly',
      usesCredentialProcess: true,
    });
  });
});

describe('updateProfileBlock regions', () => {
  const WITH_REGION: ProfileBlockInput = { ...INPUT, ssoRegion: 'eu-west-1' };

  function regionsOf(text: string): Record<string, string | undefined> {
    const config = parseAwsConfig(`${USER_CONFIG}${text}`, '/config');
    return Object.fromEntries([...config.profiles.values()].map((p) => [p.name, p.region]));
  }

  /** The block as a person left it: `from` replaced by `to` in the section of `profile` only. */
  function editRegion(text: string, profile: string, to: string): string {
    return text.replace(new RegExp(`(\\[profile ${profile}\\]\\nregion = )[a-z0-9-]+`), `$1${to}`);
  }

  it("gives every profile the session's sso_region, and names it in the header", () => {
    const { text, region } = updateProfileBlock('', WITH_REGION);
    expect(region).toBe('eu-west-1');
    expect(regionsOf(text)).toEqual({ 'Development-Developer': 'eu-west-1', 'Development-ReadOnly': 'eu-west-1', 'Production-ReadOnly': 'eu-west-1' });
    expect(text).toContain('# Written by "latchkey setup-profiles --session corp --region eu-west-1"; run it again to update.');
    expect(text).toContain('[profile Development-Developer]\nregion = eu-west-1\ncredential_process = ');
  });

  it('gives every profile the --region instead', () => {
    const { text } = updateProfileBlock('', { ...WITH_REGION, region: 'us-east-2' });
    expect(new Set(Object.values(regionsOf(text)))).toEqual(new Set(['us-east-2']));
  });

  it('keeps a region edited inside the block on the next run, also with another --region', () => {
    const edited = editRegion(updateProfileBlock('', WITH_REGION).text, 'Production-ReadOnly', 'ap-south-1');
    const rerun = updateProfileBlock(edited, WITH_REGION);
    expect(rerun.changed).toBe(false);
    const moved = updateProfileBlock(edited, { ...WITH_REGION, region: 'us-east-2' });
    expect(regionsOf(moved.text)).toEqual({ 'Development-Developer': 'us-east-2', 'Development-ReadOnly': 'us-east-2', 'Production-ReadOnly': 'ap-south-1' });
    expect(moved.profiles.find((p) => p.name === 'Production-ReadOnly')?.region).toBe('ap-south-1');
  });

  it('keeps the --region of an earlier run when the next run gives none', () => {
    const first = updateProfileBlock('', { ...WITH_REGION, region: 'us-east-2' });
    const second = updateProfileBlock(first.text, WITH_REGION);
    expect(second.changed).toBe(false);
    expect(second.region).toBe('us-east-2');
  });

  it('keeps the region a block from before regions had by hand, and adds one to the rest', () => {
    const old = updateProfileBlock('', INPUT).text.replace(
      '[profile Development-ReadOnly]\n',
      '[profile Development-ReadOnly]\nRegion = sa-east-1\n',
    );
    expect(regionsOf(updateProfileBlock(old, WITH_REGION).text)).toEqual({
      'Development-Developer': 'eu-west-1',
      'Development-ReadOnly': 'sa-east-1',
      'Production-ReadOnly': 'eu-west-1',
    });
  });

  it('never writes back a region line that is not a region code', () => {
    const hostile = editRegion(updateProfileBlock('', WITH_REGION).text, 'Production-ReadOnly', 'x').replace('region = x', 'region = x\\n[evil]');
    const next = updateProfileBlock(hostile, WITH_REGION).text;
    expect(next).not.toContain('evil');
    expect(regionsOf(next)['Production-ReadOnly']).toBe('eu-west-1');
  });

  it('refuses a --region that is not a region code, and writes nothing', () => {
    const error = thrown(() => updateProfileBlock('', { ...WITH_REGION, region: 'eu-west-1\n[profile evil]' }));
    expect(isLatchkeyError(error, 'config_error')).toBe(true);
  });

  it('writes no region when there is none to write', () => {
    expect(updateProfileBlock('', INPUT).text).not.toMatch(/^region/m);
  });
});

describe('profileNamesIn', () => {
  it('finds the profile names a file defines', () => {
    expect(profileNamesIn('[default]\n[profile a]\n  [ profile "b" ]\n[sso-session c]\n[profile d] # x\n')).toEqual(new Set(['default', 'a', 'b', 'd']));
  });

  it("counts the names another session's block keeps for its retired roles", () => {
    const lab = [
      '# BEGIN latchkey managed profiles (session lab)',
      '# Names kept for roles no longer assigned, so that they never name another role:',
      '# retired profile Old-R: account 333333333333, role R',
      '# END latchkey managed profiles (session lab)',
      '',
    ].join('\n');
    expect(profileNamesIn(lab)).toEqual(new Set(['Old-R']));
  });
});
