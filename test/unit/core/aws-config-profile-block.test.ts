import { describe, expect, it } from 'vitest';
import { parseAwsConfig } from '../../../main/core/aws-config';
import { addProfileToBlock, profileNamesIn, updateProfileBlock, type AddProfileInput, type ProfileBlockInput } from '../../../main/core/aws-config-profile-block';
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

  it('appends to a file whose last line ends with a lone CR in CRLF, so that the next run changes nothing', () => {
    // Found by fuzz-profile-block: a LF after that CR made the file CRLF, and the next run rewrote the block in CRLF.
    const first = updateProfileBlock('[default]\r', INPUT);
    expect(first.text.startsWith('[default]\r\r\n# BEGIN latchkey managed profiles (session corp)\r\n')).toBe(true);
    expect(updateProfileBlock(first.text, INPUT).changed).toBe(false);
  });

  it.each([
    ['after_a_byte_order_mark', '\uFEFF[profile Production-ReadOnly]\n'],
    ['quoted_in_part', '[profile "Production"-ReadOnly]\n'],
    ['escaped', '[profile Production\\-ReadOnly]\n'],
  ])("never gives a profile the name of the user's own, spelt %s, which botocore reads as that name", (_name, mine) => {
    // Found by fuzz-profile-block: the block's profile took the name, and replaced the user's for the AWS CLI.
    const { text, profiles } = updateProfileBlock(mine, { ...INPUT, accounts: [ACCOUNTS[0] as BlockAccount] });
    expect(profiles.map((p) => p.name)).toEqual(['Production-ReadOnly-222222222222']);
    expect(text.startsWith(mine)).toBe(true);
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
    // The reader strips values: these would read back as another session's name, or none (found by fuzz-profile-block).
    ['session_name_with_a_space_around_it', { session: 'corp ' }, 'the session name'],
    ['session_name_empty', { session: '' }, 'the session name'],
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

describe('addProfileToBlock', () => {
  const ADD: AddProfileInput = {
    session: 'corp',
    latchkeyCommand: INPUT.latchkeyCommand,
    dialect: 'posix',
    account: { accountId: '111111111111', accountName: 'Development' },
    roleName: 'Admin',
  };
  const AFTER_BLOCK = '\n[profile after]\noutput = json  # trailing\r\n';

  /** The text of `session`'s block in `text`, from its BEGIN line to after its END line. */
  function blockOf(text: string, session = 'corp'): string {
    const start = text.indexOf(`# BEGIN latchkey managed profiles (session ${session})`);
    const endLine = `# END latchkey managed profiles (session ${session})`;
    const end = text.indexOf(endLine, start);
    if (start < 0 || end < 0) throw new Error(`no block of ${session} in the text`);
    const eol = text.startsWith('\r\n', end + endLine.length) ? 2 : text.startsWith('\n', end + endLine.length) ? 1 : 0;
    return text.slice(start, end + endLine.length + eol);
  }

  /** Each `[profile …]` section of a block, from its header to the blank line or END line after it. */
  function sectionsOf(block: string): string[] {
    return block.split(/\r?\n(?=\[profile )/).slice(1).map((section) => section.replace(/\r?\n(\r?\n|# END[^\n]*\n?)$/, ''));
  }

  it('creates the block, after the untouched user text, when the file has none', () => {
    const update = addProfileToBlock(USER_CONFIG, ADD);
    expect(update.changed).toBe(true);
    expect(update.profile).toEqual({ name: 'Development-Admin', accountId: '111111111111', roleName: 'Admin', status: 'added' });
    expect(update.text).toBe(
      `${USER_CONFIG}\r\n${[
        '# BEGIN latchkey managed profiles (session corp)',
        '# Written by "latchkey setup-profiles --session corp"; run it again to update. Profile names and regions edited here are kept; other edits inside this block are replaced.',
        '[profile Development-Admin]',
        'credential_process = /usr/bin/node /opt/latchkey/latchkey.mjs credential-process --profile Development-Admin',
        'latchkey_session = corp',
        'latchkey_account_id = 111111111111',
        'latchkey_role_name = Admin',
        '# END latchkey managed profiles (session corp)',
        '',
      ].join('\r\n')}`,
    );
  });

  it("gives a new block the session's sso_region, as setup-profiles does", () => {
    const { text, profile } = addProfileToBlock('', { ...ADD, ssoRegion: 'eu-west-1' });
    expect(profile.region).toBe('eu-west-1');
    expect(text).toContain('# Written by "latchkey setup-profiles --session corp --region eu-west-1";');
    expect(text).toContain('[profile Development-Admin]\nregion = eu-west-1\ncredential_process = ');
  });

  it('keeps every profile of the block byte for byte, and every byte outside it', () => {
    const written = updateProfileBlock(USER_CONFIG, { ...INPUT, ssoRegion: 'eu-west-1', region: 'us-east-2' }).text;
    // A name and a region edited by hand inside the block, which setup-profiles keeps too.
    const before = `${written.replace(/Production-ReadOnly/g, 'prod').replace('[profile Development-ReadOnly]\r\nregion = us-east-2', '[profile Development-ReadOnly]\r\nregion = ap-south-1')}${AFTER_BLOCK}`;
    const oldBlock = blockOf(before);
    const oldSections = sectionsOf(oldBlock);
    expect(oldSections).toHaveLength(3);

    const update = addProfileToBlock(before, { ...ADD, ssoRegion: 'eu-west-1' });

    expect(update.changed).toBe(true);
    const newBlock = blockOf(update.text);
    const start = before.indexOf(oldBlock);
    expect(update.text.slice(0, start)).toBe(before.slice(0, start));
    expect(update.text.slice(start + newBlock.length)).toBe(before.slice(start + oldBlock.length));
    for (const section of oldSections) expect(newBlock).toContain(section);
    expect(sectionsOf(newBlock)).toHaveLength(4);
    // The block's --region goes to the new profile too, and its header is unchanged.
    expect(newBlock.split('\r\n')[1]).toBe(oldBlock.split('\r\n')[1]);
    expect(update.profile).toMatchObject({ name: 'Development-Admin', status: 'added', region: 'us-east-2' });
    expect(update.profiles.map((p) => [p.name, p.status])).toEqual([
      ['Development-Admin', 'added'],
      ['Development-Developer', 'kept'],
      ['Development-ReadOnly', 'kept'],
      ['prod', 'kept'],
    ]);
    expect(update.removed).toEqual([]);
  });

  it('keeps the names the block holds for retired roles, and gives a retired role its name back', () => {
    const retiring = updateProfileBlock('', INPUT).text;
    const before = updateProfileBlock(retiring, { ...INPUT, accounts: [ACCOUNTS[0] as BlockAccount] }).text;
    expect(before).toContain('# retired profile Development-Developer: account 111111111111, role Developer');

    const other = addProfileToBlock(before, ADD);
    expect(other.text).toContain('# retired profile Development-Developer: account 111111111111, role Developer');
    expect(other.text).toContain('# retired profile Development-ReadOnly: account 111111111111, role ReadOnly');

    const restored = addProfileToBlock(before, { ...ADD, roleName: 'Developer' });
    expect(restored.profile).toMatchObject({ name: 'Development-Developer', status: 'restored' });
    expect(restored.text).not.toContain('# retired profile Development-Developer:');
    expect(restored.text).toContain('# retired profile Development-ReadOnly: account 111111111111, role ReadOnly');
  });

  it('writes nothing for a role the block already has, and reports its profile as kept', () => {
    // Renamed by hand to a name that sorts where the old one did, so the block is as setup-profiles would write it.
    const before = `${updateProfileBlock(USER_CONFIG, { ...INPUT, ssoRegion: 'eu-west-1' }).text.replace(/Development-Developer/g, 'Development-Dev')}${AFTER_BLOCK}`;
    const update = addProfileToBlock(before, { ...ADD, account: { accountId: '111111111111', accountName: 'Renamed in the portal' }, roleName: 'Developer', ssoRegion: 'eu-west-1' });
    expect(update.changed).toBe(false);
    expect(update.text).toBe(before);
    expect(update.profile).toMatchObject({ name: 'Development-Dev', accountId: '111111111111', roleName: 'Developer', status: 'kept' });
  });

  it("gives a name the user's own profile outside the block already has the account id, as setup-profiles does", () => {
    const mine = `${USER_CONFIG}[profile Development-Admin]\r\nregion = us-west-2\r\n`;
    const update = addProfileToBlock(mine, ADD);
    const planned = updateProfileBlock(mine, { ...INPUT, accounts: [{ ...ADD.account, roles: ['Admin'] }] });
    expect(update.profile).toEqual({ name: 'Development-Admin-111111111111', accountId: '111111111111', roleName: 'Admin', status: 'added' });
    expect(update.text).toBe(planned.text);
    expect(update.text.startsWith(mine)).toBe(true);
    expect(profileNamesIn(update.text)).toEqual(new Set(['default', 'Development-Admin', 'Development-Admin-111111111111']));
  });

  it("gives a block's profile whose name the user has since taken outside it another name, and says so, as setup-profiles does", () => {
    const block = updateProfileBlock('', { ...INPUT, accounts: [ACCOUNTS[0] as BlockAccount] }).text;
    const before = `[profile Production-ReadOnly]\nregion = us-west-2\n\n${block}`;
    const update = addProfileToBlock(before, ADD);
    const moved = update.profiles.find((p) => p.accountId === '222222222222');
    expect(moved).toMatchObject({ accountId: '222222222222', roleName: 'ReadOnly', status: 'renamed', formerName: 'Production-ReadOnly' });
    expect(moved?.name).not.toBe('Production-ReadOnly');
    expect(update.text.startsWith('[profile Production-ReadOnly]\nregion = us-west-2\n\n# BEGIN')).toBe(true);
    expect(parseAwsConfig(`${USER_CONFIG}${update.text}`, '/config').profiles.get(moved?.name ?? '')).toMatchObject({ accountId: '222222222222', roleName: 'ReadOnly' });
  });

  it.each([
    ['spaces_slashes_and_accents', 'Dev Team / Ünïcode (prod)', 'Dev-Team-n-code-prod-Admin'],
    ['leading_and_trailing_dots', '..Sandbox..', 'Sandbox-Admin'],
    ['nothing_usable_falls_back_to_the_account_id', '💼 / 💼', '111111111111-Admin'],
    ['a_line_break_and_a_section', `Dev\n${INJECTED_SECTION}`, 'Dev-profile-evil-credential_process-touch-tmp-pwned-Admin'],
  ])('names the profile of an account named with %s from the characters a profile name allows', (_name, accountName, profile) => {
    const update = addProfileToBlock(USER_CONFIG, { ...ADD, account: { accountId: '111111111111', accountName } });
    expect(update.profile.name).toBe(profile);
    expect(update.text).toContain(`\r\n[profile ${profile}]\r\n`);
    expect([...parseAwsConfig(update.text, '/config').profiles.keys()]).toEqual([profile]);
    expect(update.text).not.toMatch(/^\[profile evil\]/m);
  });

  it.each<[string, Partial<AddProfileInput>, string]>([
    ['role_name_injection', { roleName: INJECTION }, 'a role name'],
    ['account_id_injection', { account: { accountId: `111111111111\n${INJECTED_SECTION}`, accountName: 'Dev' } }, 'an account id'],
    ['account_id_not_twelve_digits', { account: { accountId: '11111', accountName: 'Dev' } }, 'an account id'],
  ])('refuses to add %s, in one sentence that does not repeat the value', (_name, override, what) => {
    const error = thrown(() => addProfileToBlock(USER_CONFIG, { ...ADD, ...override }));
    expect(isLatchkeyError(error, 'config_error')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(what);
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).not.toContain('evil');
  });

  it('refuses a bad session name before looking for its block', () => {
    const config = '# BEGIN latchkey managed profiles (session corp\n[profile evil])\n';
    const error = thrown(() => addProfileToBlock(config, { ...ADD, session: 'corp\n[profile evil]' }));
    expect(isLatchkeyError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toContain('the session name');
    expect((error as Error).message).not.toContain('evil');
  });
});
