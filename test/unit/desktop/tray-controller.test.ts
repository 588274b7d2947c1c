import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionView } from '../../../main/core/bridge';
import type { PanelTheme } from '../../../main/core/tray-icon-files';
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

/** A light taskbar unless told otherwise: the tests name the variant they expect. */
function create(platform: NodeJS.Platform, options: { onAction?: (action: TrayAction) => void; readTaskbarTheme?: () => Promise<PanelTheme> } = {}): TrayController {
  controller = new TrayController({
    iconDir: '/icons',
    platform,
    onAction: options.onAction ?? ((action) => actions.push(action)),
    readTaskbarTheme: options.readTaskbarTheme ?? (async () => 'light'),
  });
  return controller;
}

/** Lets the taskbar read, a resolved promise, reach the tray. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('TrayController', () => {
  it.each([
    ['darwin', [view('corp', 'signed-in')], '/icons/signed-inTemplate.png', true],
    ['linux', [view('corp', 'signed-in')], '/icons/signed-in-panel.png', false],
    ['win32', [view('corp', 'signed-out')], '/icons/signed-out-on-light.ico', false],
    ['linux', [view('corp', 'signing-in')], '/icons/signing-in-panel.png', false],
    ['linux', [{ ...view('corp', 'signed-out'), needsAttention: true }], '/icons/attention-panel.png', false],
  ] as const)('on %s shows %s as %s', async (platform, sessions, path, template) => {
    create(platform);
    await settle();
    controller.render(model([...sessions]));
    expect(tray().image).toMatchObject({ path, template });
  });

  it('sets the tooltip and a menu with one item per session', () => {
    create('linux');
    controller.render(model([view('corp', 'signed-in'), view('dev', 'signed-out')]));
    expect(tray().toolTip).toBe(`Latchkey · 1 of 2 signed in · corp until ${NOW + 3_600_000}`);
    expect(template().map((i) => i.label ?? i.type)).toEqual([
      '1 of 2 signed in · corp until ' + (NOW + 3_600_000),
      'separator',
      `corp: signed in until ${NOW + 3_600_000}`,
      'dev: signed out',
      'separator',
      'Open Latchkey',
      'Open console…',
      'Start at login',
      'separator',
      'Quit Latchkey',
    ]);
    expect(template()[2]?.type).toBe('submenu');
    expect(template()[7]).toMatchObject({ type: 'checkbox', checked: false });
  });

  it('maps clicks to actions', () => {
    create('linux');
    controller.render(model([view('dev', 'signed-out')]));
    template()[2]?.submenu?.[0]?.click?.();
    template().find((i) => i.label === 'Quit Latchkey')?.click?.();
    expect(actions).toEqual([{ kind: 'sign-in', session: 'dev' }, { kind: 'quit' }]);
  });

  it('does not rebuild the menu when the model is unchanged, however much time passed', () => {
    create('linux');
    const sessions = [view('corp', 'signed-in')];
    expect(controller.render(model(sessions))).toBe(true);
    expect(controller.render(model(sessions, NOW + 20 * 60_000))).toBe(false);
    expect(tray().setContextMenu).toHaveBeenCalledTimes(1);
    expect(controller.render(model([view('corp', 'signed-out')]))).toBe(true);
    expect(tray().setContextMenu).toHaveBeenCalledTimes(2);
  });

  it('rebuilds an equal menu after forgetMenu (a refused checkbox change)', () => {
    create('linux');
    controller.render(model([]));
    controller.forgetMenu();
    controller.render(model([]));
    expect(tray().setContextMenu).toHaveBeenCalledTimes(2);
  });

  it('on Windows follows the taskbar, not the app theme: dark apps on a light taskbar get the black glyph', async () => {
    electronFake.nativeTheme.shouldUseDarkColors = true;
    create('win32', { readTaskbarTheme: async () => 'light' });
    controller.render(model([view('corp', 'signed-in')]));
    await settle();
    electronFake.nativeTheme.shouldUseDarkColors = false;
    expect(tray().image).toMatchObject({ path: '/icons/signed-in-on-light.ico' });
  });

  it("on Windows 10's default, a dark taskbar with light apps, gets the white glyph", async () => {
    create('win32', { readTaskbarTheme: async () => 'dark' });
    controller.render(model([view('corp', 'signed-in')]));
    await settle();
    expect(electronFake.nativeTheme.shouldUseDarkColors).toBe(false);
    expect(tray().image).toMatchObject({ path: '/icons/signed-in-on-dark.ico' });
  });

  it('shows the dark-taskbar icon until the registry answers, then the one it names', async () => {
    let answer: (theme: PanelTheme) => void = () => undefined;
    create('win32', { readTaskbarTheme: () => new Promise((resolve) => (answer = resolve)) });
    expect(tray().image).toMatchObject({ path: '/icons/signed-out-on-dark.ico' });
    answer('light');
    await settle();
    expect(tray().image).toMatchObject({ path: '/icons/signed-out-on-light.ico' });
  });

  it('reads the taskbar again when the OS announces a theme change', async () => {
    const themes: PanelTheme[] = ['light', 'dark'];
    const read = vi.fn(async () => themes.shift() ?? 'dark');
    create('win32', { readTaskbarTheme: read });
    controller.render(model([]));
    await settle();
    expect(tray().image).toMatchObject({ path: '/icons/signed-out-on-light.ico' });
    electronFake.nativeTheme.emit('updated');
    await settle();
    expect(read).toHaveBeenCalledTimes(2);
    expect(tray().image).toMatchObject({ path: '/icons/signed-out-on-dark.ico' });
  });

  it('lets the latest read win when an earlier one answers last', async () => {
    const answers: Array<(theme: PanelTheme) => void> = [];
    create('win32', { readTaskbarTheme: () => new Promise((resolve) => answers.push(resolve)) });
    electronFake.nativeTheme.emit('updated');
    answers[1]?.('light');
    await settle();
    answers[0]?.('dark');
    await settle();
    expect(tray().image).toMatchObject({ path: '/icons/signed-out-on-light.ico' });
  });

  it("falls back to Electron's own reading of the taskbar when reg.exe fails", async () => {
    electronFake.nativeTheme.shouldUseDarkColorsForSystemIntegratedUI = false;
    create('win32', { readTaskbarTheme: async () => Promise.reject(new Error('spawn reg.exe ENOENT')) });
    await settle();
    electronFake.nativeTheme.shouldUseDarkColorsForSystemIntegratedUI = true;
    expect(tray().image).toMatchObject({ path: '/icons/signed-out-on-light.ico' });
  });

  it.each(['darwin', 'linux'] as const)('on %s never reads the taskbar nor listens for theme changes', async (platform) => {
    const read = vi.fn(async (): Promise<PanelTheme> => 'light');
    create(platform, { readTaskbarTheme: read });
    controller.render(model([]));
    electronFake.nativeTheme.emit('updated');
    await settle();
    expect(read).not.toHaveBeenCalled();
    expect(electronFake.nativeTheme.listenerCount('updated')).toBe(0);
  });

  it('stops listening and destroys the tray on dispose', async () => {
    create('win32');
    await settle();
    controller.dispose();
    expect(tray().isDestroyed()).toBe(true);
    expect(electronFake.nativeTheme.listenerCount('updated')).toBe(0);
  });
});
