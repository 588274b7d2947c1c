import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionView } from '../../../main/core/bridge';
import { buildTrayModel, type TrayAction } from '../../../main/core/tray-model';
import { TrayController } from '../../../main/desktop/tray-controller';
import { electronFake, FakeTray } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronFake);

const NOW = Date.UTC(2026, 0, 1, 12);
function view(name: string, state: SessionView['state']): SessionView {
  return { name, startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1', state, refreshable: true, needsAttention: false, clientName: 'Latchkey on host', ...(state === 'signed-in' ? { accessTokenExpiresAtMs: NOW + 3_600_000 } : {}) };
}
function model(sessions: SessionView[], nowMs = NOW) {
  return buildTrayModel({ sessions, nowMs, startAtLogin: false, formatTime: (ms) => String(ms) });
}

let controller: TrayController;
const actions: TrayAction[] = [];
function tray(): FakeTray {
  const created = FakeTray.instances.at(-1);
  if (!created) throw new Error('no tray');
  return created;
}
interface Template {
  label?: string;
  type?: string;
  checked?: boolean;
  click?: () => void;
  submenu?: Template[];
}
function template(): Template[] {
  return (tray().menu?.template ?? []) as Template[];
}

beforeEach(() => {
  FakeTray.instances = [];
  actions.length = 0;
  electronFake.nativeImage.createFromPath.mockClear();
});
afterEach(() => controller.dispose());

describe('TrayController', () => {
  it.each([
    ['darwin', [view('corp', 'signed-in')], '/icons/signed-inTemplate.png', true],
    ['linux', [view('corp', 'signed-in')], '/icons/signed-in-panel.png', false],
    ['win32', [view('corp', 'signed-out')], '/icons/signed-out-on-light.ico', false],
    ['linux', [view('corp', 'signing-in')], '/icons/signing-in-panel.png', false],
    ['linux', [{ ...view('corp', 'signed-out'), needsAttention: true }], '/icons/attention-panel.png', false],
  ] as const)('on %s shows %s as %s', (platform, sessions, path, template) => {
    controller = new TrayController({ iconDir: '/icons', platform, onAction: () => undefined });
    controller.render(model([...sessions]));
    expect(tray().image).toMatchObject({ path, template });
  });

  it('sets the tooltip and a menu with one item per session', () => {
    controller = new TrayController({ iconDir: '/icons', platform: 'linux', onAction: (a) => actions.push(a) });
    controller.render(model([view('corp', 'signed-in'), view('dev', 'signed-out')]));
    expect(tray().toolTip).toBe(`Latchkey · 1 of 2 signed in · corp until ${NOW + 3_600_000}`);
    expect(template().map((i) => i.label ?? i.type)).toEqual([
      '1 of 2 signed in · corp until ' + (NOW + 3_600_000),
      'separator',
      `corp: signed in until ${NOW + 3_600_000}`,
      'dev: signed out',
      'separator',
      'Open Latchkey',
      'Start at login',
      'separator',
      'Quit Latchkey',
    ]);
    expect(template()[2]?.type).toBe('submenu');
    expect(template()[6]).toMatchObject({ type: 'checkbox', checked: false });
  });

  it('maps clicks to actions', () => {
    controller = new TrayController({ iconDir: '/icons', platform: 'linux', onAction: (a) => actions.push(a) });
    controller.render(model([view('dev', 'signed-out')]));
    template()[2]?.submenu?.[0]?.click?.();
    template().find((i) => i.label === 'Quit Latchkey')?.click?.();
    expect(actions).toEqual([{ kind: 'sign-in', session: 'dev' }, { kind: 'quit' }]);
  });

  it('does not rebuild the menu when the model is unchanged, however much time passed', () => {
    controller = new TrayController({ iconDir: '/icons', platform: 'linux', onAction: () => undefined });
    const sessions = [view('corp', 'signed-in')];
    expect(controller.render(model(sessions))).toBe(true);
    expect(controller.render(model(sessions, NOW + 20 * 60_000))).toBe(false);
    expect(tray().setContextMenu).toHaveBeenCalledTimes(1);
    expect(controller.render(model([view('corp', 'signed-out')]))).toBe(true);
    expect(tray().setContextMenu).toHaveBeenCalledTimes(2);
  });

  it('rebuilds an equal menu after forgetMenu (a refused checkbox change)', () => {
    controller = new TrayController({ iconDir: '/icons', platform: 'linux', onAction: () => undefined });
    controller.render(model([]));
    controller.forgetMenu();
    controller.render(model([]));
    expect(tray().setContextMenu).toHaveBeenCalledTimes(2);
  });

  it('follows the theme on Windows, and destroys the tray on dispose', () => {
    controller = new TrayController({ iconDir: '/icons', platform: 'win32', onAction: () => undefined });
    controller.render(model([]));
    electronFake.nativeTheme.shouldUseDarkColors = true;
    electronFake.nativeTheme.emit('updated');
    electronFake.nativeTheme.shouldUseDarkColors = false;
    expect(tray().image).toMatchObject({ path: '/icons/signed-out-on-dark.ico' });
    controller.dispose();
    expect(tray().isDestroyed()).toBe(true);
    expect(electronFake.nativeTheme.listenerCount('updated')).toBe(0);
  });
});
