import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../main/core/bridge';
import { ClockText } from '../../../main/core/clock-text';
import { isPrintable } from '../../../main/core/printable-text';
import type { RecentRoleView } from '../../../main/core/role-actions';
import { buildTrayModel, sameTrayModel, trayActionFailedNotice, trayStateOf, type TrayMenuItem } from '../../../main/core/tray-model';

const NOW = Date.UTC(2026, 0, 1, 12, 0);
const HOUR = 3_600_000;
/** Deterministic in any time zone: hours and minutes after NOW. */
function formatTime(epochMs: number): string {
  const minutes = Math.round((epochMs - NOW) / 60_000);
  return `+${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}`;
}

function view(name: string, state: SessionView['state'], extra: Partial<SessionView> = {}): SessionView {
  return {
    name,
    startUrl: `https://${name}.awsapps.com/start`,
    region: 'eu-west-1',
    state,
    refreshable: true,
    needsAttention: false,
    clientName: 'Latchkey on host',
    ...(state === 'signed-in' ? { accessTokenExpiresAtMs: NOW + HOUR } : {}),
    ...extra,
  };
}

function model(sessions: SessionView[], startAtLogin = false) {
  return buildTrayModel({ sessions, nowMs: NOW, startAtLogin, formatTime });
}

function recent(session: string, accountId: string, accountName: string, roleName: string, usedAtMs = NOW): RecentRoleView {
  return { session, accountId, accountName, roleName, usedAtMs };
}

function withRecent(sessions: SessionView[], roles: RecentRoleView[]) {
  return buildTrayModel({ sessions, nowMs: NOW, startAtLogin: false, recent: roles, formatTime }).menu;
}

function labels(items: readonly TrayMenuItem[]): string[] {
  return items.map((item) => (item.type === 'separator' ? '---' : item.label));
}

function item(items: readonly TrayMenuItem[], label: string): Extract<TrayMenuItem, { label: string }> {
  const found = items.find((i) => i.type !== 'separator' && i.label.startsWith(label));
  if (!found || found.type === 'separator') throw new Error(`no item ${label}`);
  return found;
}

describe('tray state: the most urgent session wins', () => {
  it.each([
    ['no_sessions_is_signed_out', [], 'signed-out'],
    ['all_signed_out', [view('a', 'signed-out'), view('b', 'signed-out')], 'signed-out'],
    ['one_signed_in_is_signed_in', [view('a', 'signed-in'), view('b', 'signed-out')], 'signed-in'],
    ['signing_in_beats_signed_in', [view('a', 'signed-in'), view('b', 'signing-in')], 'signing-in'],
    ['attention_beats_signing_in', [view('a', 'signing-in'), view('b', 'signed-out', { needsAttention: true })], 'attention'],
    ['attention_beats_signed_in', [view('a', 'signed-in'), view('b', 'signed-out', { needsAttention: true })], 'attention'],
    ['attention_on_a_signed_in_session_is_stale', [view('a', 'signed-in', { needsAttention: true })], 'signed-in'],
  ] as const)('%s', (_name, sessions, expected) => {
    expect(trayStateOf(sessions)).toBe(expected);
    expect(model([...sessions]).state).toBe(expected);
  });
});

describe('tooltip', () => {
  it.each([
    ['no_sessions', [], 'Latchkey · no sessions configured'],
    ['one_signed_out', [view('corp', 'signed-out')], 'Latchkey · signed out'],
    ['one_signed_in', [view('corp', 'signed-in')], 'Latchkey · signed in · corp until +1h00'],
    [
      'soonest_expiry_of_several',
      [view('corp', 'signed-in', { accessTokenExpiresAtMs: NOW + 2 * HOUR }), view('dev', 'signed-in', { accessTokenExpiresAtMs: NOW + 90 * 60_000 }), view('prod', 'signed-out')],
      'Latchkey · 2 of 3 signed in · dev until +1h30',
    ],
    ['none_of_three', [view('a', 'signed-out'), view('b', 'signing-in'), view('c', 'signed-out')], 'Latchkey · 0 of 3 signed in'],
  ] as const)('%s', (_name, sessions, tooltip) => {
    expect(model([...sessions]).tooltip).toBe(tooltip);
  });

  it.each([
    ['en-GB', 'Latchkey · signed in · corp until 17:42'],
    ['en-US', 'Latchkey · signed in · corp until 5:42 PM'],
  ])('writes the expiry in the OS locale it is given: %s', (locale, tooltip) => {
    const clock = new ClockText(locale, 'UTC');
    const at = Date.UTC(2026, 0, 1, 17, 42);
    const built = buildTrayModel({
      sessions: [view('corp', 'signed-in', { accessTokenExpiresAtMs: at })],
      nowMs: Date.UTC(2026, 0, 1, 9, 0),
      startAtLogin: false,
      formatTime: (epochMs, nowMs) => clock.time(epochMs, nowMs),
    });
    expect(built.tooltip).toBe(tooltip);
  });
});

describe('menu', () => {
  it('has a greyed summary, one item per session, Open, Start at login and Quit', () => {
    const menu = model([view('corp', 'signed-in'), view('dev', 'signed-out')]).menu;
    expect(labels(menu)).toEqual([
      '1 of 2 signed in · corp until +1h00',
      '---',
      'corp: signed in until +1h00',
      'dev: signed out',
      '---',
      'Open Latchkey',
      'Open console…',
      'Start at login',
      '---',
      'Quit Latchkey',
    ]);
    expect(item(menu, '1 of 2').enabled).toBe(false);
  });

  it.each([
    ['signed-in', view('corp', 'signed-in'), ['Reload accounts and roles', 'Copy credential_process line', '---', 'Sign out']],
    ['signed-out', view('corp', 'signed-out'), ['Sign in…']],
    ['signing-in', view('corp', 'signing-in'), ['Show sign-in', 'Cancel sign-in']],
  ] as const)('a %s session offers %j', (_state, session, expected) => {
    expect(labels(item(model([session]).menu, 'corp').submenu ?? [])).toEqual(expected);
  });

  it('names a session a tool is waiting for', () => {
    expect(labels(model([view('corp', 'signed-out', { needsAttention: true })]).menu)).toContain('corp: needs sign-in');
  });

  it('ticks Start at login from the OS state passed in', () => {
    expect(item(model([], true).menu, 'Start at login').checked).toBe(true);
    expect(item(model([], false).menu, 'Start at login').checked).toBe(false);
  });

  it('offers a credential_process line per account and role once listed', () => {
    const roles = new Map([
      ['corp', [
        { accountId: '111111111111', accountName: 'Development', roleName: 'Developer' },
        { accountId: '111111111111', accountName: 'Development', roleName: 'ReadOnly' },
        { accountId: '222222222222', accountName: 'Production', roleName: 'ReadOnly' },
      ]],
    ]);
    const built = buildTrayModel({ sessions: [view('corp', 'signed-in')], nowMs: NOW, startAtLogin: false, roles, formatTime });
    const copy = item(item(built.menu, 'corp').submenu ?? [], 'Copy credential_process line');
    expect(labels(copy.submenu ?? [])).toEqual(['Development (111111111111)', 'Production (222222222222)']);
    const developer = item(item(copy.submenu ?? [], 'Development').submenu ?? [], 'Developer');
    expect(developer.action).toEqual({ kind: 'copy-credential-process', session: 'corp', accountId: '111111111111', roleName: 'Developer' });
  });

  it('says "Loading accounts…" before roles are listed', () => {
    const copy = item(item(model([view('corp', 'signed-in')]).menu, 'corp').submenu ?? [], 'Copy');
    expect(labels(copy.submenu ?? [])).toEqual(['Loading accounts…']);
  });
});

describe('the Recent group', () => {
  const production = recent('corp', '222222222222', 'Production', 'ReadOnly', NOW);
  const development = recent('corp', '111111111111', 'Development', 'Developer', NOW - HOUR);

  it('follows the summary, a header then the roles as given (newest first) then a separator, before the sessions', () => {
    expect(labels(withRecent([view('corp', 'signed-in')], [production, development]))).toEqual([
      'signed in · corp until +1h00',
      '---',
      'Recent',
      'Production (222222222222) · ReadOnly',
      'Development (111111111111) · Developer',
      '---',
      'corp: signed in until +1h00',
      '---',
      'Open Latchkey',
      'Open console…',
      'Start at login',
      '---',
      'Quit Latchkey',
    ]);
    expect(item(withRecent([view('corp', 'signed-in')], [production]), 'Recent').enabled).toBe(false);
  });

  it.each([
    ['no_recent_roles', []],
    ['only_roles_of_sessions_no_longer_configured', [recent('gone', '222222222222', 'Production', 'ReadOnly')]],
  ] as const)('is absent, header and separator too: %s', (_name, roles) => {
    expect(labels(withRecent([view('corp', 'signed-in')], [...roles])).slice(0, 4)).toEqual([
      'signed in · corp until +1h00',
      '---',
      'corp: signed in until +1h00',
      '---',
    ]);
  });

  it('shows at most five roles, the first five it is given', () => {
    const seven = Array.from({ length: 7 }, (_, i) => recent('corp', `11111111111${i}`, `Account ${i}`, 'ReadOnly', NOW - i));
    const menu = withRecent([view('corp', 'signed-in')], seven);
    const shown = labels(menu).slice(labels(menu).indexOf('Recent') + 1, labels(menu).indexOf('corp: signed in until +1h00') - 1);
    expect(shown).toEqual([0, 1, 2, 3, 4].map((i) => `Account ${i} (11111111111${i}) · ReadOnly`));
  });

  it('names the session only when more than one is configured', () => {
    expect(labels(withRecent([view('corp', 'signed-in')], [production]))).toContain('Production (222222222222) · ReadOnly');
    const two = labels(withRecent([view('corp', 'signed-in'), view('dev', 'signed-out')], [production]));
    expect(two).toContain('corp: Production (222222222222) · ReadOnly');
    expect(two).not.toContain('Production (222222222222) · ReadOnly');
  });

  it('opens the console signed in as the role a click names', () => {
    expect(item(withRecent([view('corp', 'signed-in')], [production]), 'Production').action).toEqual({
      kind: 'open-console',
      session: 'corp',
      accountId: '222222222222',
      roleName: 'ReadOnly',
    });
  });

  it.each([
    ['escape_sequence', 'Prod\u001b[2Juction', 'Prod\uFFFD[2Juction'],
    ['carriage_return', 'Prod\ruction', 'Prod\uFFFDuction'],
    ['bidi_override', 'Prod\u202euction', 'Prod\uFFFDuction'],
    ['c1_csi', 'Prod\u009buction', 'Prod\uFFFDuction'],
  ])('never lets a control character in an account name reach a label: %s', (_name, accountName, shown) => {
    const menu = withRecent([view('corp', 'signed-in'), view('dev', 'signed-out')], [recent('corp', '222222222222', accountName, 'ReadOnly')]);
    expect(labels(menu)).toContain(`corp: ${shown} (222222222222) · ReadOnly`);
    expect(labels(menu).every((label) => isPrintable(label))).toBe(true);
  });

  it('cuts a very long account name', () => {
    const label = labels(withRecent([view('corp', 'signed-in')], [recent('corp', '222222222222', 'x'.repeat(300), 'ReadOnly')]))[3] ?? '';
    expect(label).toBe(`${'x'.repeat(63)}… (222222222222) · ReadOnly`);
  });
});

describe('Open console…', () => {
  it('is always there, after Open Latchkey, and asks for the account browser', () => {
    for (const menu of [model([]).menu, withRecent([view('corp', 'signed-in')], [recent('corp', '222222222222', 'Production', 'ReadOnly')])]) {
      const all = labels(menu);
      expect(all[all.indexOf('Open Latchkey') + 1]).toBe('Open console…');
      expect(item(menu, 'Open console…')).toMatchObject({ enabled: true, action: { kind: 'open-console-search' } });
    }
  });
});

describe('model comparison', () => {
  it('an unchanged state gives an equal model, whatever the time', () => {
    const sessions = [view('corp', 'signed-in')];
    const first = buildTrayModel({ sessions, nowMs: NOW, startAtLogin: false, formatTime: (ms) => String(ms) });
    const later = buildTrayModel({ sessions, nowMs: NOW + 30 * 60_000, startAtLogin: false, formatTime: (ms) => String(ms) });
    expect(sameTrayModel(first, later)).toBe(true);
  });

  it('a changed state gives a different model', () => {
    expect(sameTrayModel(model([view('corp', 'signed-in')]), model([view('corp', 'signed-out')]))).toBe(false);
    expect(sameTrayModel(undefined, model([]))).toBe(false);
  });
});

describe('a tray action that failed', () => {
  it('is told in a notification naming what failed, for which session, with the reason', () => {
    expect(trayActionFailedNotice('sign-out', 'corp', 'The keychain refused the request.')).toEqual({
      title: 'Latchkey could not sign out for corp',
      body: 'The keychain refused the request.',
      sessions: ['corp'],
    });
    expect(trayActionFailedNotice('open-console', 'corp', 'Access denied.').title).toBe('Latchkey could not open the AWS console for corp');
    expect(trayActionFailedNotice('open-console-search', undefined, 'gone').title).toBe('Latchkey could not open the account browser');
    expect(trayActionFailedNotice('toggle-start-at-login', undefined, '')).toEqual({
      title: 'Latchkey could not change Start at login',
      body: 'See the Latchkey log for the reason.',
      sessions: [],
    });
  });

  it('shows only the first line of the reason, at most 200 characters', () => {
    const notice = trayActionFailedNotice('list-roles', 'corp', `${'x'.repeat(300)}\nsecond line`);
    expect(notice.title).toBe('Latchkey could not list the accounts and roles for corp');
    expect(notice.body).toHaveLength(200);
    expect(notice.body.endsWith('…')).toBe(true);
  });
});
