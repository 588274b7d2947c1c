import type { LatchkeyBridge, SessionView } from '../main/core/bridge';
import type { ClockText } from '../main/core/clock-text';
import type { AccountsView, RecentRoleView, RoleRef } from '../main/core/role-actions';
import { KEY_SEPARATOR, layoutAccounts, roleLabel, type AccountBlock, type AccountSection, type RoleRow } from './account-layout';
import type { Announcer } from './announcer';
import { byId, element, show } from './dom';
import { errorText } from './error-text';

type Listing =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  /** `reloading`: Reload was asked for; the old listing stays on screen meanwhile. */
  | { kind: 'listed'; view: AccountsView; reloading: boolean };

type RoleAction = 'console' | 'export' | 'credential-process' | 'profile';

const ROLE_BUTTONS: readonly { action: RoleAction; label: string; kind: 'primary' | 'secondary' }[] = [
  { action: 'console', label: 'Open console', kind: 'primary' },
  { action: 'export', label: 'Copy export', kind: 'secondary' },
  { action: 'credential-process', label: 'Copy credential_process', kind: 'secondary' },
  { action: 'profile', label: 'Add profile', kind: 'secondary' },
];

/** What a screen reader hears for each button, before the role's name. */
const ACTION_NAMES: Readonly<Record<RoleAction, string>> = {
  console: 'Open the AWS console',
  export: 'Copy export commands',
  'credential-process': 'Copy a credential_process profile',
  profile: 'Add a profile to the AWS config',
};

/** Reading the match count after every key would drown the typing; it is read once typing pauses. */
const COUNT_ANNOUNCE_DELAY_MS = 600;

/**
 * The account browser under the sessions list: the accounts and roles of every signed-in
 * session from the listing the agent keeps (listed once, not on every open), a search that
 * narrows them as you type, Recent first, and per role the four actions. Nothing secret
 * reaches this page: the console URL and the credentials stay in the main process.
 *
 * Keyboard: ↓ from the search goes to the first row and Enter there opens its console;
 * in the list ↑/↓/Home/End move between rows, Enter on a row opens its console, Esc goes
 * back to the search. Only the current row's buttons are Tab stops, so Tab leaves the
 * list in one step however long it is.
 */
export class AccountBrowser {
  private readonly search = byId<HTMLInputElement>('account-search');
  private readonly searchBlock = byId('account-search-block');
  private readonly list = byId('account-list');
  private readonly count = byId('account-count');
  private readonly status = byId('accounts-status');
  private readonly empty = byId('accounts-empty');
  private readonly listings = new Map<string, Listing>();
  private readonly loads = new Map<string, number>();
  private signedIn: string[] = [];
  private recent: RecentRoleView[] = [];
  private readonly busy = new Set<string>();
  private activeKey: string | undefined;
  private visibleKeys: string[] = [];
  /** The rows drawn, by key, as the last layout made them. */
  private visibleRows = new Map<string, RoleRow>();
  private countTimer: number | undefined;
  private loadSequence = 0;

  constructor(
    private readonly bridge: LatchkeyBridge,
    private readonly announcer: Announcer,
    private readonly clock: ClockText,
  ) {
    this.search.addEventListener('input', () => {
      this.activeKey = undefined;
      this.render();
      this.announceCountSoon();
    });
    this.search.addEventListener('keydown', (event) => this.onSearchKey(event));
    this.list.addEventListener('keydown', (event) => this.onListKey(event));
    this.list.addEventListener('focusin', (event) => this.onFocusIn(event));
  }

  /** The sessions list changed: a session that signed in is listed (once), one that signed out is dropped. */
  setSessions(sessions: readonly SessionView[]): void {
    const signedIn = sessions.filter((session) => session.state === 'signed-in').map((session) => session.name);
    for (const name of [...this.listings.keys()]) if (!signedIn.includes(name)) this.listings.delete(name);
    this.signedIn = signedIn;
    for (const name of signedIn) if (!this.listings.has(name)) void this.load(name, false);
    this.render();
  }

  setRecent(recent: readonly RecentRoleView[]): void {
    this.recent = [...recent];
    this.render();
  }

  async loadRecent(): Promise<void> {
    // Without the recent roles the browser still works; Recent just stays empty until the next change.
    this.setRecent(await this.bridge.recentRoles().catch(() => []));
  }

  /** The tray's "Open console…". */
  focusSearch(): void {
    this.search.focus();
    this.search.select();
  }

  private async load(session: string, refresh: boolean): Promise<void> {
    const sequence = ++this.loadSequence;
    this.loads.set(session, sequence);
    const known = this.listings.get(session);
    this.listings.set(session, known?.kind === 'listed' ? { ...known, reloading: true } : { kind: 'loading' });
    this.render();
    let next: Listing;
    try {
      next = { kind: 'listed', view: await this.bridge.listAccounts(session, refresh), reloading: false };
    } catch (error) {
      next = { kind: 'failed', message: errorText(error) };
    }
    // Signed out meanwhile, or a later load was asked for: this answer is stale.
    if (this.loads.get(session) !== sequence || !this.signedIn.includes(session)) return;
    this.listings.set(session, next);
    this.render();
  }

  render(): void {
    const focusKey = document.activeElement instanceof HTMLElement && this.list.contains(document.activeElement) ? document.activeElement.dataset.focusKey : undefined;
    const listed = this.signedIn.flatMap((name) => {
      const listing = this.listings.get(name);
      return listing?.kind === 'listed' ? [listing.view] : [];
    });
    const layout = layoutAccounts({ listings: listed, recent: this.recent, filter: this.search.value });
    const drawn = layout.sections.flatMap((section) => section.accounts.flatMap((account) => account.rows));
    this.visibleRows = new Map(drawn.map((row) => [row.key, row]));
    this.visibleKeys = drawn.map((row) => row.key);
    if (this.activeKey === undefined || !this.visibleKeys.includes(this.activeKey)) this.activeKey = this.visibleKeys[0];

    const nodes: HTMLElement[] = [];
    const recent = layout.sections.find((section) => section.kind === 'recent');
    if (recent !== undefined) nodes.push(this.section(recent, 'Recent', undefined));
    for (const name of this.signedIn) {
      const section = layout.sections.find((candidate) => candidate.kind === 'session' && candidate.session === name);
      nodes.push(this.section(section, name, this.listings.get(name)));
    }
    this.list.replaceChildren(...nodes);

    show(this.empty, this.signedIn.length === 0);
    show(this.searchBlock, this.signedIn.length > 0);
    const matching = layout.sections.filter((section) => section.kind === 'session').reduce((sum, section) => sum + section.matching, 0);
    this.count.textContent = countText(listed, matching, this.search.value.trim() !== '');
    if (focusKey !== undefined) this.list.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
  }

  private section(section: AccountSection | undefined, title: string, listing: Listing | undefined): HTMLElement {
    const isRecent = listing === undefined;
    const header = element('div', { className: 'account-section-header' }, [element('h3', { className: 'account-section-title', text: title })]);
    const body: HTMLElement[] = [];
    if (listing?.kind === 'loading') body.push(element('p', { className: 'account-note', text: 'Loading accounts…' }));
    if (listing?.kind === 'failed') {
      body.push(element('p', { className: 'account-note error', text: `Couldn’t list the accounts: ${listing.message}` }));
      header.append(this.reloadButton(title, 'Try again'));
    }
    if (listing?.kind === 'listed') {
      header.append(
        element('span', { className: 'account-listed', text: listing.reloading ? 'reloading…' : `listed ${this.clock.time(listing.view.listedAtMs, Date.now())}` }),
        this.reloadButton(title, 'Reload'),
      );
      if (listing.view.accounts.length === 0) body.push(element('p', { className: 'account-note', text: 'No accounts are assigned to you in this session.' }));
      else if (section !== undefined && section.matching === 0) body.push(element('p', { className: 'account-note', text: 'No account or role here matches the search.' }));
    }
    if (section !== undefined && section.accounts.length > 0) {
      body.push(element('ul', { className: 'account-blocks' }, section.accounts.map((account) => this.accountBlock(account))));
    }
    if (section !== undefined && section.matching > section.shown) {
      const more = section.matching - section.shown;
      body.push(element('p', { className: 'account-more', text: `and ${more} more ${more === 1 ? 'role' : 'roles'}: type in the search to narrow the list.` }));
    }
    return element('section', { className: `account-section${isRecent ? ' recent' : ''}`, attributes: { 'aria-label': isRecent ? 'Recently used roles' : `Accounts of ${title}` } }, [header, ...body]);
  }

  private reloadButton(session: string, label: string): HTMLButtonElement {
    const button = element('button', {
      className: 'link-button account-reload',
      text: label,
      attributes: { type: 'button', 'aria-label': `${label}: list the accounts of ${session} again`, 'data-focus-key': `reload${KEY_SEPARATOR}${session}` },
    });
    button.addEventListener('click', () => void this.load(session, true));
    return button;
  }

  private accountBlock(account: AccountBlock): HTMLLIElement {
    const named = account.accountName !== account.accountId;
    return element('li', { className: 'account-block' }, [
      element('p', { className: 'account-title' }, [
        element('span', { className: 'account-name', text: named ? account.accountName : account.accountId }),
        ...(named ? [element('span', { className: 'account-id', text: account.accountId })] : []),
      ]),
      element('ul', { className: 'role-list' }, account.rows.map((row) => this.roleRow(row))),
    ]);
  }

  private roleRow(row: RoleRow): HTMLLIElement {
    const active = row.key === this.activeKey;
    const label = roleLabel(row);
    const buttons = ROLE_BUTTONS.map(({ action, label: text, kind }) => {
      const busy = this.busy.has(busyKey(action, row));
      const button = element('button', {
        className: `button small ${kind}`,
        text,
        attributes: {
          type: 'button',
          'aria-label': `${ACTION_NAMES[action]}: ${label}`,
          'data-focus-key': `${action}${KEY_SEPARATOR}${row.key}`,
          tabindex: active ? '0' : '-1',
          ...(busy ? { 'aria-disabled': 'true', 'aria-busy': 'true' } : {}),
        },
      });
      button.addEventListener('click', () => this.run(action, row));
      return button;
    });
    return element(
      'li',
      { className: 'role-row', attributes: { tabindex: '-1', 'aria-label': label, 'data-focus-key': `row${KEY_SEPARATOR}${row.key}`, 'data-row-key': row.key } },
      [element('span', { className: 'role-name', text: row.roleName }), element('span', { className: 'role-actions' }, buttons)],
    );
  }

  private run(action: RoleAction, row: RoleRow): void {
    const key = busyKey(action, row);
    if (this.busy.has(key)) return;
    const role: RoleRef = { session: row.session, accountId: row.accountId, roleName: row.roleName };
    const label = roleLabel(row);
    this.busy.add(key);
    if (action === 'console') this.say(`Opening the AWS console as ${label}…`);
    this.render();
    this.perform(action, role, label).then(
      (sentence) => this.say(sentence),
      (error: unknown) => this.warn(errorText(error)),
    ).finally(() => {
      this.busy.delete(key);
      this.render();
    });
  }

  private async perform(action: RoleAction, role: RoleRef, label: string): Promise<string> {
    switch (action) {
      case 'console':
        await this.bridge.openConsole(role);
        return `Opened the AWS console as ${label} in your browser.`;
      case 'export':
        await this.bridge.copyExportCommands(role);
        return `Copied export commands for ${label}. Paste them into a shell; they hold live credentials.`;
      case 'credential-process':
        await this.bridge.copyCredentialProcessLine(role);
        return `Copied a credential_process profile for ${label}. Paste it into your AWS config file.`;
      case 'profile': {
        const added = await this.bridge.addProfile(role);
        return added.added ? `Added the profile ${added.profile} to ${added.configFile}.` : `The profile ${added.profile} for ${label} is already in ${added.configFile}.`;
      }
    }
  }

  private say(text: string): void {
    this.status.textContent = text;
    this.status.classList.remove('error');
    show(this.status, true);
    this.announcer.say(text);
  }

  private warn(text: string): void {
    this.status.textContent = text;
    this.status.classList.add('error');
    show(this.status, true);
    this.announcer.warn(text);
  }

  private announceCountSoon(): void {
    window.clearTimeout(this.countTimer);
    this.countTimer = window.setTimeout(() => this.announcer.say(this.count.textContent ?? ''), COUNT_ANNOUNCE_DELAY_MS);
  }

  private onSearchKey(event: KeyboardEvent): void {
    if (event.isComposing) return;
    if (event.key === 'ArrowDown' && this.visibleKeys.length > 0) {
      event.preventDefault();
      this.focusRow(this.visibleKeys[0]);
    } else if (event.key === 'Enter') {
      // Type "prod read", press Enter: the first match's console opens.
      const first = this.rowOf(this.visibleKeys[0]);
      if (first === undefined) return;
      event.preventDefault();
      this.run('console', first);
    } else if (event.key === 'Escape' && this.search.value !== '') {
      event.preventDefault();
      this.search.value = '';
      this.activeKey = undefined;
      this.render();
      this.announceCountSoon();
    }
  }

  private onListKey(event: KeyboardEvent): void {
    const rowNode = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('.role-row') : null;
    const key = rowNode?.dataset.rowKey;
    if (key === undefined || event.isComposing) return;
    const index = this.visibleKeys.indexOf(key);
    const move = (to: number): void => {
      event.preventDefault();
      if (to < 0) this.search.focus();
      else this.focusRow(this.visibleKeys[Math.min(to, this.visibleKeys.length - 1)]);
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(this.visibleKeys.length - 1);
    else if (event.key === 'Escape') move(-1);
    else if (event.key === 'Enter' && event.target === rowNode) {
      const row = this.rowOf(key);
      if (row === undefined) return;
      event.preventDefault();
      this.run('console', row);
    }
  }

  /** Whatever in a row gets focus (a click, Tab) makes it the current row, whose buttons are the Tab stops. */
  private onFocusIn(event: FocusEvent): void {
    const key = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('.role-row')?.dataset.rowKey : undefined;
    if (key === undefined || key === this.activeKey) return;
    this.activeKey = key;
    for (const button of this.list.querySelectorAll<HTMLButtonElement>('.role-row button')) {
      button.tabIndex = button.closest<HTMLElement>('.role-row')?.dataset.rowKey === key ? 0 : -1;
    }
  }

  private focusRow(key: string | undefined): void {
    if (key === undefined) return;
    this.list.querySelector<HTMLElement>(`.role-row[data-row-key="${CSS.escape(key)}"]`)?.focus();
  }

  private rowOf(key: string | undefined): RoleRow | undefined {
    return key === undefined ? undefined : this.visibleRows.get(key);
  }
}

function busyKey(action: RoleAction, row: RoleRef): string {
  return `${action}${KEY_SEPARATOR}${row.session}${KEY_SEPARATOR}${row.accountId}${KEY_SEPARATOR}${row.roleName}`;
}

/** "500 accounts, 750 roles" without a search; "12 roles match" with one. */
function countText(listed: readonly AccountsView[], matching: number, searching: boolean): string {
  if (listed.length === 0) return '';
  if (searching) return matching === 0 ? 'No role matches' : `${matching} ${matching === 1 ? 'role matches' : 'roles match'}`;
  const accounts = listed.reduce((sum, view) => sum + view.accounts.length, 0);
  const roles = listed.reduce((sum, view) => sum + view.accounts.reduce((inner, account) => inner + account.roles.length, 0), 0);
  return `${accounts} ${accounts === 1 ? 'account' : 'accounts'}, ${roles} ${roles === 1 ? 'role' : 'roles'}`;
}
