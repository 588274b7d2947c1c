import { afterEach, describe, expect, it } from 'vitest';
import { Emitter } from '../../../main/core/emitter';
import { LatchkeyError, isLatchkeyError } from '../../../main/core/errors';
import type { Disposable } from '../../../main/core/lifecycle';
import { isPrintable } from '../../../main/core/printable-text';
import type { AccountsView, AddedProfile, RecentRoleView, RoleActions } from '../../../main/core/role-actions';
import type { RoleBrowserOptions } from '../../../main/core/sessions-controller';
import type { SsoSessionSettings } from '../../../main/core/sso-session-settings';
import { corp, disposeControllers, lab, setup } from '../../support/sessions-controller-fixture';

afterEach(disposeControllers);

const LISTINGS: Record<string, AccountsView> = {
  corp: {
    session: 'corp',
    listedAtMs: 900_000,
    accounts: [
      { accountId: '111111111111', accountName: 'Development', roles: ['Developer', 'ReadOnly'] },
      { accountId: '222222222222', accountName: 'Production', emailAddress: 'prod@example.com', roles: ['ReadOnly'] },
    ],
  },
  lab: { session: 'lab', listedAtMs: 900_000, accounts: [{ accountId: '333333333333', accountName: 'Lab', roles: ['Admin'] }] },
};
const DEVELOPER = { session: 'corp', accountId: '111111111111', roleName: 'Developer' };
/** Stands for what only the role actions may hold: a session token, a console SigninToken. */
const FAKE_SECRET = 'FwoGZXIvYXdzEXAMPLEdoNotLeakThisToken';
const SIGN_IN_URL = `https://signin.aws.amazon.com/federation?Action=login&SigninToken=${FAKE_SECRET}`;
const EXPORT_TEXT = `export AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nexport AWS_SECRET_ACCESS_KEY=${FAKE_SECRET}\nexport AWS_SESSION_TOKEN=${FAKE_SECRET}\n`;
const ADDED: AddedProfile = { profile: 'Development-Developer', configFile: '/home/ana/.aws/config', added: true };
const RECENT: RecentRoleView[] = [{ ...DEVELOPER, accountName: 'Development', usedAtMs: 950_000 }];

type RoleCall = [method: keyof RoleActions, session: SsoSessionSettings, ...args: unknown[]];

/** Role actions that record each call and answer from the listings above, or fail as the test says. */
class FakeRoleActions implements RoleActions {
  readonly calls: RoleCall[] = [];
  readonly recentChanges = new Emitter<RecentRoleView[]>();
  listeners = 0;
  failure: Error | undefined;

  async accounts(session: SsoSessionSettings, refresh: boolean): Promise<AccountsView> {
    this.calls.push(['accounts', session, refresh]);
    const listing = LISTINGS[session.name];
    if (listing === undefined) throw new Error(`no listing for ${session.name}`);
    return listing;
  }

  recentRoles(): RecentRoleView[] {
    return RECENT;
  }

  onRecentRolesChanged(listener: (recent: RecentRoleView[]) => void): Disposable {
    this.listeners += 1;
    const subscription = this.recentChanges.on(listener);
    return {
      dispose: () => {
        this.listeners -= 1;
        subscription.dispose();
      },
    };
  }

  async openConsole(session: SsoSessionSettings, accountId: string, roleName: string): Promise<void> {
    this.calls.push(['openConsole', session, accountId, roleName]);
    if (this.failure) throw this.failure;
    // The real one resolves with nothing; this one resolves with the URL, so that a
    // controller passing the value on to the page would be caught.
    return SIGN_IN_URL as unknown as undefined;
  }

  async exportCommands(session: SsoSessionSettings, accountId: string, roleName: string): Promise<string> {
    this.calls.push(['exportCommands', session, accountId, roleName]);
    if (this.failure) throw this.failure;
    return EXPORT_TEXT;
  }

  async addProfile(session: SsoSessionSettings, accountId: string, roleName: string): Promise<AddedProfile> {
    this.calls.push(['addProfile', session, accountId, roleName]);
    if (this.failure) throw this.failure;
    return ADDED;
  }

  /** The calls other than the listing check every per-role action makes first. */
  actionCalls(): RoleCall[] {
    return this.calls.filter(([method]) => method !== 'accounts');
  }
}

function setupRoles(options: Partial<Omit<RoleBrowserOptions, 'actions'>> = {}) {
  const actions = new FakeRoleActions();
  const t = setup('device-code', { actions, latchkeyCommand: ['/usr/bin/node', '/opt/latchkey/latchkey.mjs'], dialect: 'posix', ...options });
  return { ...t, actions };
}

type RoleMethod = 'openConsole' | 'copyExportCommands' | 'copyCredentialProcessLine' | 'addProfile';
const ROLE_METHODS: readonly RoleMethod[] = ['openConsole', 'copyExportCommands', 'copyCredentialProcessLine', 'addProfile'];

describe('SessionsController account browser', () => {
  it("lists a session's accounts from the kept listing, and lists again only when the page asks", async () => {
    const { controller, actions } = setupRoles();
    await expect(controller.listAccounts('corp')).resolves.toEqual(LISTINGS['corp']);
    await controller.listAccounts('lab', true);
    expect(actions.calls).toEqual([
      ['accounts', corp, false],
      ['accounts', lab, true],
    ]);
  });

  it.each([['yes'], [1], [null], [{}]])('refuses %j as the refresh flag, without listing', async (refresh) => {
    const { controller, actions } = setupRoles();
    await expect(controller.listAccounts('corp', refresh)).rejects.toThrow('refresh must be true or false.');
    expect(actions.calls).toEqual([]);
  });

  it.each([['prod'], [''], [7]])('refuses to list the accounts of %j, without listing', async (session) => {
    const { controller, actions } = setupRoles();
    await expect(controller.listAccounts(session)).rejects.toSatisfy((error: unknown) => isLatchkeyError(error, 'usage_error'));
    expect(actions.calls).toEqual([]);
  });

  it('refuses every account browser action when the window was given no role actions', async () => {
    const { controller, copied } = setup();
    for (const call of [
      () => controller.listAccounts('corp'),
      () => controller.recentRoles(),
      ...ROLE_METHODS.map((method) => () => controller[method](DEVELOPER)),
    ]) {
      await expect(call()).rejects.toThrow('This window has no account browser.');
    }
    expect(copied).toEqual([]);
  });

  it.each<[string, unknown, RegExp, boolean]>([
    ['a string instead of a role', 'corp', /^A role \(\{ session, accountId, roleName \}\) is required\.$/, false],
    ['null', null, /^A role .* is required\.$/, false],
    ['a number', 42, /^A role .* is required\.$/, false],
    ['an unknown session', { ...DEVELOPER, session: 'prod' }, /^No session named "prod" in the AWS config\.$/, false],
    ['a session that is not a string', { ...DEVELOPER, session: 7 }, /^A session name \(a non-empty string\) is required\.$/, false],
    ['no session at all', { accountId: '111111111111', roleName: 'Developer' }, /^A session name .* is required\.$/, false],
    ['an account id of 11 digits', { ...DEVELOPER, accountId: '11111111111' }, /^The account id must be 12 digits, not "11111111111"\.$/, false],
    ['an account id of 13 digits', { ...DEVELOPER, accountId: '1111111111111' }, /^The account id must be 12 digits/, false],
    ['an account id given as a number', { ...DEVELOPER, accountId: 111111111111 }, /^The account id must be 12 digits, not "number"\.$/, false],
    ['an account id with letters', { ...DEVELOPER, accountId: '11111111111a' }, /^The account id must be 12 digits/, false],
    ['an account id with a line break', { ...DEVELOPER, accountId: '111111111111\n' }, /^The account id must be 12 digits/, false],
    ['a role name with a line break and a section', { ...DEVELOPER, roleName: 'Developer\n[profile evil]' }, /is not an IAM role name\.$/, false],
    ['a role name with an escape sequence', { ...DEVELOPER, roleName: 'Dev\u001b[2J' }, /is not an IAM role name\.$/, false],
    ['a role name with a NUL', { ...DEVELOPER, roleName: 'Dev\u0000' }, /is not an IAM role name\.$/, false],
    ['a role name given as a number', { ...DEVELOPER, roleName: 5 }, /^"number" is not an IAM role name\.$/, false],
    ['a role no account of the listing has', { ...DEVELOPER, roleName: 'Admin' }, /^corp has no role "Admin" in account 111111111111; reload the accounts and roles\.$/, true],
    ['a role of another account', { ...DEVELOPER, accountId: '222222222222' }, /^corp has no role "Developer" in account 222222222222;/, true],
    ['an account the listing does not have', { ...DEVELOPER, accountId: '999999999999' }, /^corp has no role "Developer" in account 999999999999;/, true],
    ["a role of another session's listing", { session: 'lab', accountId: '111111111111', roleName: 'Developer' }, /^lab has no role "Developer" in account 111111111111;/, true],
  ])('refuses %s from the page in every per-role action, with a clear sentence and without acting', async (_name, role, message, checksListing) => {
    const { controller, actions, copied, opened, events } = setupRoles();
    for (const method of ROLE_METHODS) {
      const error = await controller[method](role).catch((e: unknown) => e);
      expect(isLatchkeyError(error, 'usage_error')).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message.length).toBeLessThan(200);
      expect(isPrintable((error as Error).message)).toBe(true);
    }
    expect(actions.actionCalls()).toEqual([]);
    // Only a role of the right shape is looked up, in the kept listing of its own session.
    const session = checksListing ? (role as { session: string }).session : undefined;
    expect(actions.calls).toEqual(
      session === undefined ? [] : ROLE_METHODS.map(() => ['accounts', session === 'lab' ? lab : corp, false]),
    );
    expect(copied).toEqual([]);
    expect(opened).toEqual([]);
    expect(events).toEqual([]);
  });

  it('puts the export commands on the clipboard, and into nothing the page receives', async () => {
    const { controller, actions, copied, events } = setupRoles();
    await expect(controller.copyExportCommands(DEVELOPER)).resolves.toBeUndefined();
    expect(actions.actionCalls()).toEqual([['exportCommands', corp, '111111111111', 'Developer']]);
    expect(copied).toEqual([EXPORT_TEXT]);
    expect(events).toEqual([]);
  });

  it.each<[string, Omit<RoleBrowserOptions, 'actions'>, string]>([
    [
      'posix',
      { latchkeyCommand: ['/opt/Latchkey App/latchkey'], dialect: 'posix' },
      "credential_process = '/opt/Latchkey App/latchkey' credential-process --session corp --account 111111111111 --role Developer\nregion = eu-west-1",
    ],
    [
      'windows',
      { latchkeyCommand: ['C:\\Program Files\\Latchkey\\latchkey.exe'], dialect: 'windows' },
      'credential_process = "C:\\Program Files\\Latchkey\\latchkey.exe" credential-process --session corp --account 111111111111 --role Developer\r\nregion = eu-west-1',
    ],
  ])('copies a credential_process line built from the Latchkey command, quoted for %s', async (_dialect, browser, line) => {
    const { controller, actions, copied, events } = setupRoles(browser);
    await expect(controller.copyCredentialProcessLine(DEVELOPER)).resolves.toBeUndefined();
    expect(copied).toEqual([line]);
    // The line names the role; it needs no credentials, so none are fetched.
    expect(actions.actionCalls()).toEqual([]);
    expect(events).toEqual([]);
  });

  it("opens the console through the role actions with the session's settings, and gives the page nothing back", async () => {
    const { controller, actions, copied, opened, events } = setupRoles();
    await expect(controller.openConsole(DEVELOPER)).resolves.toBeUndefined();
    expect(actions.actionCalls()).toEqual([['openConsole', corp, '111111111111', 'Developer']]);
    expect(actions.calls[0]).toEqual(['accounts', corp, false]);
    expect(opened).toEqual([]);
    expect(copied).toEqual([]);
    expect(events).toEqual([]);
  });

  it('adds a profile through the role actions and tells the page its name and file', async () => {
    const { controller, actions } = setupRoles();
    await expect(controller.addProfile({ session: 'corp', accountId: '222222222222', roleName: 'ReadOnly' })).resolves.toEqual(ADDED);
    expect(actions.actionCalls()).toEqual([['addProfile', corp, '222222222222', 'ReadOnly']]);
  });

  it.each(['openConsole', 'copyExportCommands', 'addProfile'] as const)(
    "passes a role action's LatchkeyError of %s to the page as its own sentence, and copies nothing",
    async (method) => {
      const { controller, actions, copied, events } = setupRoles();
      actions.failure = new LatchkeyError('signed_out', 'corp is signed out; sign in to use its roles.');
      await expect(controller[method](DEVELOPER)).rejects.toBe(actions.failure);
      expect(copied).toEqual([]);
      expect(events).toEqual([]);
    },
  );

  it.each(['openConsole', 'copyExportCommands', 'addProfile'] as const)(
    'keeps an untyped failure of %s untyped, so the page gets the generic sentence and not its message with the secret',
    async (method) => {
      const { controller, actions, copied, events } = setupRoles();
      actions.failure = new Error(`federation answered 400 for ${SIGN_IN_URL}`);
      const error = await controller[method](DEVELOPER).catch((e: unknown) => e);
      // The IPC layer (main/desktop/ipc-main.ts, toPageError) gives the page a fixed
      // sentence for anything but a LatchkeyError; wrapping this in one would send the URL.
      expect(error).toBe(actions.failure);
      expect(isLatchkeyError(error)).toBe(false);
      expect(copied).toEqual([]);
      expect(JSON.stringify(events)).not.toContain(FAKE_SECRET);
    },
  );

  it('gives the page the recent roles, and sends them again when the role actions announce a change, until disposed', async () => {
    const { controller, actions, events } = setupRoles();
    await expect(controller.recentRoles()).resolves.toEqual(RECENT);
    const changed: RecentRoleView[] = [{ session: 'lab', accountId: '333333333333', roleName: 'Admin', accountName: 'Lab', usedAtMs: 990_000 }, ...RECENT];
    actions.recentChanges.fire(changed);
    expect(events).toEqual([{ type: 'recent-roles-changed', recent: changed }]);
    expect(actions.listeners).toBe(1);
    await controller.dispose();
    expect(actions.listeners).toBe(0);
    actions.recentChanges.fire(RECENT);
    expect(events).toHaveLength(1);
  });

  it("sends focus-account-search for the tray's Open console…", () => {
    const { controller, events } = setupRoles();
    controller.focusAccountSearch();
    expect(events).toEqual([{ type: 'focus-account-search' }]);
  });
});
