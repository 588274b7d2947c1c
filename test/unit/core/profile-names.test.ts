import { describe, expect, it } from 'vitest';
import { parseAwsConfig } from '../../../main/core/aws-config';
import { updateProfileBlock, type ProfileBlockInput, type ProfileBlockUpdate } from '../../../main/core/aws-config-profile-block';
import { planProfiles, type BlockAccount } from '../../../main/core/profile-names';

// Issue 9, item 3: a profile name, once written, keeps naming the same account and role.
// Each run reads the block the run before wrote, as `latchkey setup-profiles` does.

const DEV_OPS: BlockAccount = { accountId: '111111111111', accountName: 'Dev-Ops', roles: ['Admin', 'ReadOnly'] };
const DEV_SPACE_OPS: BlockAccount = { accountId: '100000000000', accountName: 'Dev Ops', roles: ['Admin'] };
const PRODUCTION: BlockAccount = { accountId: '333333333333', accountName: 'Production', roles: ['ReadOnly'] };

const INPUT: ProfileBlockInput = { session: 'corp', accounts: [], latchkeyCommand: ['/usr/bin/latchkey'], dialect: 'posix' };

function run(text: string, accounts: readonly BlockAccount[], session = 'corp'): ProfileBlockUpdate {
  return updateProfileBlock(text, { ...INPUT, session, accounts });
}

/** What the agent will serve for each name: the only thing a user's `--profile X` depends on. */
function served(text: string): Record<string, string> {
  const sessions = '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\n';
  const config = parseAwsConfig(sessions + text, '/tmp/config');
  expect(config.problems).toEqual([]);
  return Object.fromEntries([...config.profiles.values()].map((p) => [p.name, `${p.accountId ?? ''} ${p.roleName ?? ''}`]));
}

const FIRST = run('', [DEV_OPS, PRODUCTION]).text;
const FIRST_NAMES = { 'Dev-Ops-Admin': '111111111111 Admin', 'Dev-Ops-ReadOnly': '111111111111 ReadOnly', 'Production-ReadOnly': '333333333333 ReadOnly' };

describe('a rerun of setup-profiles', () => {
  it('keeps a name on its account when a new account whose name cleans the same appears ("Dev-Ops", then "Dev Ops")', () => {
    expect(served(FIRST)).toEqual(FIRST_NAMES);
    const second = run(FIRST, [DEV_SPACE_OPS, DEV_OPS, PRODUCTION]);
    expect(served(second.text)).toEqual({ ...FIRST_NAMES, 'Dev-Ops-Admin-100000000000': '100000000000 Admin' });
    expect(second.profiles.find((p) => p.accountId === '100000000000')).toMatchObject({ name: 'Dev-Ops-Admin-100000000000', status: 'added' });
    expect(second.profiles.filter((p) => p.status !== 'added').every((p) => p.status === 'kept')).toBe(true);
  });

  it.each([
    ['reversed', [PRODUCTION, DEV_SPACE_OPS, DEV_OPS]],
    ['roles_reversed', [{ ...DEV_OPS, roles: ['ReadOnly', 'Admin'] }, DEV_SPACE_OPS, PRODUCTION]],
    ['repeated', [DEV_OPS, DEV_SPACE_OPS, PRODUCTION, DEV_OPS]],
  ])('gives the same names whatever order the portal lists accounts and roles in: %s', (_order, accounts) => {
    const second = run(FIRST, [DEV_SPACE_OPS, DEV_OPS, PRODUCTION]);
    expect(run(FIRST, accounts).text).toBe(second.text);
    expect(run(second.text, accounts).changed).toBe(false);
  });

  it('keeps the name of an account renamed in the portal, and a newcomer with the old name gets another', () => {
    const renamed = run(FIRST, [{ ...DEV_OPS, accountName: 'Platform' }, PRODUCTION]);
    expect(renamed.changed).toBe(false);
    const newcomer = run(renamed.text, [{ ...DEV_OPS, accountName: 'Platform' }, { ...DEV_SPACE_OPS, accountName: 'Dev-Ops' }, PRODUCTION]);
    expect(served(newcomer.text)).toEqual({ ...FIRST_NAMES, 'Dev-Ops-Admin-100000000000': '100000000000 Admin' });
  });

  it('removes the profile of a role no longer assigned, and keeps its name from every other role', () => {
    const removed = run(FIRST, [DEV_SPACE_OPS, PRODUCTION]);
    expect(served(removed.text)).toEqual({ 'Dev-Ops-Admin-100000000000': '100000000000 Admin', 'Production-ReadOnly': '333333333333 ReadOnly' });
    expect(removed.removed).toEqual([
      { name: 'Dev-Ops-Admin', accountId: '111111111111', roleName: 'Admin' },
      { name: 'Dev-Ops-ReadOnly', accountId: '111111111111', roleName: 'ReadOnly' },
    ]);
    expect(removed.text).toContain('\n# retired profile Dev-Ops-Admin: account 111111111111, role Admin\n');
    expect(run(removed.text, [DEV_SPACE_OPS, PRODUCTION]).changed).toBe(false);
    // Still kept from a later newcomer, and from another session's newcomers too.
    const later = run(removed.text, [DEV_SPACE_OPS, PRODUCTION, { accountId: '444444444444', accountName: 'Dev_Ops', roles: ['Admin'] }]);
    expect(later.profiles.find((p) => p.accountId === '444444444444')?.name).toBe('Dev_Ops-Admin');
    const lab = run(removed.text, [{ accountId: '555555555555', accountName: 'Dev-Ops', roles: ['ReadOnly'] }], 'lab');
    expect(lab.profiles.map((p) => p.name)).toEqual(['Dev-Ops-ReadOnly-555555555555']);
  });

  it('gives a role assigned again the name it had', () => {
    const removed = run(FIRST, [DEV_SPACE_OPS, PRODUCTION]).text;
    const back = run(removed, [DEV_SPACE_OPS, DEV_OPS, PRODUCTION]);
    expect(served(back.text)).toEqual({ ...FIRST_NAMES, 'Dev-Ops-Admin-100000000000': '100000000000 Admin' });
    expect(back.profiles.find((p) => p.name === 'Dev-Ops-Admin')?.status).toBe('restored');
    expect(back.text).not.toContain('# retired');
  });

  it('never reuses a name the user defines outside the block, even one the block gave first', () => {
    const mine = `[profile Dev-Ops-Admin]\nregion = eu-west-1\n\n${FIRST}`;
    const second = run(mine, [DEV_OPS, PRODUCTION]);
    expect(second.text.startsWith('[profile Dev-Ops-Admin]\nregion = eu-west-1\n\n# BEGIN')).toBe(true);
    expect(second.text.match(/^\[profile Dev-Ops-Admin\]$/gm)).toHaveLength(1);
    expect(second.profiles.find((p) => p.accountId === '111111111111' && p.roleName === 'Admin')).toEqual({
      name: 'Dev-Ops-Admin-111111111111',
      accountId: '111111111111',
      roleName: 'Admin',
      status: 'renamed',
      formerName: 'Dev-Ops-Admin',
    });
    expect(run(second.text, [DEV_OPS, PRODUCTION]).changed).toBe(false);
  });

  it.each([
    ['a name that needs quoting or passes for an option', '[profile -Dev-Ops-Admin]'],
    ['the default profile', '[profile default]'],
  ])('names a role afresh when a hand edit left %s in the block', (_what, header) => {
    const edited = FIRST.replace('[profile Dev-Ops-Admin]', header);
    const second = run(edited, [DEV_OPS, PRODUCTION]);
    expect(served(second.text)).toEqual(FIRST_NAMES);
    expect(second.profiles.find((p) => p.name === 'Dev-Ops-Admin')?.status).toBe('added');
  });

  it.each([
    ['another session', 'latchkey_session = lab'],
    ['an account id that is not one', 'latchkey_account_id = 1111'],
    ['a role name that is not one', 'latchkey_role_name = Ad min'],
  ])('names a role afresh when a hand edit left a profile of %s in the block', (_what, line) => {
    const key = line.split(' ')[0] ?? '';
    const section = sectionOf(FIRST, 'Dev-Ops-Admin');
    const edited = section
      .replace('[profile Dev-Ops-Admin]', '[profile Hand-Edited]')
      .split('\n')
      .map((l) => (l.startsWith(`${key} =`) ? line : l))
      .join('\n');
    const second = run(FIRST.replace(section, edited), [DEV_OPS, PRODUCTION]);
    expect(served(second.text)).toEqual(FIRST_NAMES);
  });

  it('keeps a name given by hand inside the block to a profile whose keys are as written', () => {
    const section = sectionOf(FIRST, 'Dev-Ops-Admin');
    const second = run(FIRST.replace(section, section.replace('[profile Dev-Ops-Admin]', '[profile ops]')), [DEV_OPS, PRODUCTION]);
    expect(served(second.text)).toEqual({ ...FIRST_NAMES, 'Dev-Ops-Admin': undefined, ops: '111111111111 Admin' });
    expect(second.text).toContain('credential_process = /usr/bin/latchkey credential-process --profile ops\n');
  });
});

/** From `[profile NAME]` up to the blank line (or block end) after it. */
function sectionOf(text: string, name: string): string {
  const start = text.indexOf(`[profile ${name}]`);
  const end = text.indexOf('\n\n', start);
  return text.slice(start, end === -1 ? text.indexOf('\n# END', start) : end);
}

describe('new names', () => {
  it.each([
    ['spaces_and_symbols', 'My Team (dev)!', 'Admin/Power', 'My-Team-dev-Admin-Power'],
    ['dots_kept_inside', 'a.b', 'R', 'a.b-R'],
    ['empty_name_uses_account_id', '***', 'R', '123456789012-R'],
  ])('%s', (_n, accountName, role, expected) => {
    expect(planProfiles([{ accountId: '123456789012', accountName, roles: [role] }], new Set()).profiles[0]?.name).toBe(expected);
  });

  it('deduplicates against names in use and against each other', () => {
    const accounts = [
      { accountId: '111111111111', accountName: 'Dev', roles: ['R'] },
      { accountId: '222222222222', accountName: 'Dev', roles: ['R'] },
    ];
    expect(planProfiles(accounts, new Set(['Dev-R'])).profiles.map((p) => p.name)).toEqual(['Dev-R-111111111111', 'Dev-R-222222222222']);
    expect(planProfiles(accounts, new Set()).profiles.map((p) => p.name)).toEqual(['Dev-R', 'Dev-R-222222222222']);
  });

  it('gives the plain name to the lower account id when two new accounts clean alike, in any order', () => {
    const names = (accounts: BlockAccount[]): string[] => planProfiles(accounts, new Set()).profiles.map((p) => `${p.name} ${p.accountId}`);
    const expected = ['Dev-Ops-Admin 100000000000', 'Dev-Ops-Admin-111111111111 111111111111', 'Dev-Ops-ReadOnly 111111111111'];
    expect(names([DEV_OPS, DEV_SPACE_OPS])).toEqual(expected);
    expect(names([DEV_SPACE_OPS, DEV_OPS])).toEqual(expected);
  });

  it('counts on when the name with the account id is in use too', () => {
    const plan = planProfiles([{ accountId: '111111111111', accountName: 'Dev', roles: ['R'] }], new Set(['Dev-R', 'Dev-R-111111111111']));
    expect(plan.profiles.map((p) => p.name)).toEqual(['Dev-R-111111111111-2']);
  });
});
