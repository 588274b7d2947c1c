import { app, clipboard, dialog, shell } from 'electron';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import type { RunningAgent } from '../agent/agent';
import { startAgentTakingOver } from '../agent/agent-takeover';
import { guardedBrowser } from '../agent/guarded-browser';
import { createStderrLogger } from '../agent/stderr-logger';
import { cachedAwsConfigReader } from '../aws/aws-config-file';
import { systemClock } from '../core/clock';
import { ClockText } from '../core/clock-text';
import { isLatchkeyError } from '../core/errors';
import { LaunchLinkRegistry } from '../core/launch-link-registry';
import { DisposableStore, toDisposable } from '../core/lifecycle';
import type { Logger } from '../core/logger';
import { NotificationPolicy, type Notice } from '../core/notification-policy';
import { SessionsController } from '../core/sessions-controller';
import { latchkeyClientName } from '../core/client-registrar';
import { chooseSignInFlow } from '../core/sign-in-flow-choice';
import { AgentEventHandler } from './agent-event-handler';
import { forwardBridgeEvents, registerBridgeHandlers, type BridgeHandlers } from './ipc-main';
import { LoginItems } from './login-items';
import { Notifications } from './notifications';
import { onSystemResume } from './power-resume';
import { SessionCatalog } from './session-catalog';
import { showPrompt } from './show-prompt';
import { registerRendererScheme } from './renderer-protocol';
import { StatusWindow } from './status-window';
import { latchkeyCommand } from './latchkey-command';
import { commandDialectFor } from '../core/credential-process-command';
import { TrayPresenter } from './tray-presenter';
import { readWindowsTaskbarTheme } from './windows-taskbar-theme';

export interface DesktopAppOptions {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  execPath: string;
  /** The folder of the bundled main process (dist/desktop). */
  mainDir: string;
  /** `process.resourcesPath`: the installed app's `resources` folder, which holds `bin/latchkey`. */
  resourcesPath: string;
}

/**
 * The composition root of the desktop app: the one place that picks Electron's real
 * objects and wires them to the agent and the pure models. Everything it starts goes
 * into one DisposableStore, released on quit before the process exits.
 */
export async function runDesktopApp(options: DesktopAppOptions): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    // The first instance gets `second-instance` and opens its window.
    app.quit();
    return;
  }
  const { env, platform } = options;
  const logger = createStderrLogger({ debug: env.LATCHKEY_DEBUG === '1' });
  const store = new DisposableStore();
  const state = { quitting: false, disposed: false };
  registerQuit(store, state, logger);
  // A tray app keeps running with no window open; without a listener Electron would quit.
  app.on('window-all-closed', () => undefined);
  // Electron takes privileged schemes only before it is ready.
  registerRendererScheme();
  await app.whenReady();

  const homeDir = homedir();
  const catalog = new SessionCatalog(cachedAwsConfigReader({ env, homeDir }), logger);
  await catalog.reload();
  // The agent's sign-ins serve the links; the window's "open" asks for them. Released after the agent.
  const launchLinks = store.add(new LaunchLinkRegistry());
  const openExternal = guardedBrowser({
    sessions: () => catalog.list(),
    env,
    logger,
    launchLinks,
    // Reached only with a live launch link to a sign-in page the guard lets through.
    open: (url) => shell.openExternal(url, { activate: true }), // eng-disable OPEN_EXTERNAL_JS_CHECK (allowlisted by guardedBrowser)
  });
  // The words the AWS config's credential_process lines run: never the Electron binary itself.
  const command = latchkeyCommand({ platform, packaged: app.isPackaged, resourcesPath: options.resourcesPath, mainDir: options.mainDir, appImage: env.APPIMAGE });
  let agent: RunningAgent;
  try {
    agent = await startAgentTakingOver({ env, platform, homeDir, interactive: true, openBrowser: openExternal, launchLinks, latchkeyCommand: command, logger });
  } catch (error) {
    reportStartFailure(error);
    app.exit(1);
    return;
  }
  store.add(toDisposable(() => agent.close()));
  store.add(onSystemResume(() => agent.engine.systemResumed()));

  const clock = systemClock;
  // Read once, after ready as Electron requires: the regional format, not the UI language,
  // decides between 17:42 and 5:42 PM. The tray, notifications and window all use it.
  const clockText = new ClockText(app.getSystemLocale());
  const formatTime = (epochMs: number, nowMs: number): string => clockText.time(epochMs, nowMs);
  const controller = store.add(
    new SessionsController({
      engine: agent.engine,
      sessions: () => catalog.list(),
      clock,
      openExternal,
      writeClipboard: (text) => clipboard.writeText(text),
      chooseFlow: () => chooseSignInFlow({ platform, env }),
      clientName: latchkeyClientName(hostname()),
      clockLocale: clockText.locale,
      roles: { actions: agent.roles, latchkeyCommand: command, dialect: commandDialectFor(platform) },
      logger,
    }),
  );
  const window = store.add(
    new StatusWindow({
      preloadPath: join(options.mainDir, '../preload/preload.cjs'),
      rendererDir: join(options.mainDir, '../renderer'),
      isQuitting: () => state.quitting,
    }),
  );
  store.add(registerBridgeHandlers(controller as unknown as BridgeHandlers, window, logger));
  store.add(forwardBridgeEvents(controller, window));

  const promptParts = { reloadSessions: () => catalog.reload(), window, controller };
  const openPrompt = (session: string, start: boolean): Promise<void> => showPrompt(promptParts, session, start);

  const policy = new NotificationPolicy(clock, { formatTime });
  const notifications = store.add(
    new Notifications({
      onActivate: (notice: Notice) => {
        policy.dismissed();
        const session = notice.signInSession;
        (session === undefined ? window.show() : openPrompt(session, true)).catch((error: unknown) => logFailure(logger, 'notification', error));
      },
      onClosed: () => policy.dismissed(),
    }),
  );
  const loginItems = new LoginItems({ platform, env, homeDir, execPath: options.execPath });
  const tray = store.add(
    new TrayPresenter({
      iconDir: join(options.mainDir, '../../assets/tray'),
      platform,
      readTaskbarTheme: () => readWindowsTaskbarTheme(env),
      clock,
      formatTime,
      controller,
      loginItems,
      policy,
      notifications,
      window,
      listRoles: async (session) => {
        const settings = catalog.list().find((known) => known.name === session);
        if (settings === undefined) return [];
        // The tray keeps its own list and asks only on first sight of a signed-in session and
        // on "Reload accounts and roles": a new listing, which the CLI then reuses too.
        const accounts = await agent.engine.accounts(settings, { refresh: true });
        return accounts.flatMap((account) =>
          account.roles.map((roleName) => ({ accountId: account.accountId, accountName: account.accountName ?? account.accountId, roleName })),
        );
      },
      showPrompt: openPrompt,
      reloadSessions: () => catalog.reload(),
      writeClipboard: (text) => clipboard.writeText(text),
      latchkeyCommand: command,
      quit: () => app.quit(),
      logger,
    }),
  );
  const agentEvents = new AgentEventHandler({
    reloadSessions: () => catalog.reload(),
    controller,
    policy,
    notifications,
    window,
    updateTray: () => tray.update(),
    logger,
  });
  store.add(agent.events.on((event) => agentEvents.handle(event)));

  app.on('second-instance', () => {
    void catalog.reload().then(() => window.show());
  });
  await tray.update();
  if (!loginItems.startedAtLogin(options.argv)) await window.show();
}

/** Quitting waits for the agent to stop serving and the socket to go, then quits for real. */
function registerQuit(store: DisposableStore, state: { quitting: boolean; disposed: boolean }, logger: Logger): void {
  app.on('before-quit', (event) => {
    state.quitting = true;
    if (state.disposed) return;
    event.preventDefault();
    state.disposed = true;
    store
      .dispose()
      .catch((error: unknown) => logFailure(logger, 'shutdown', error))
      .finally(() => app.quit());
  });
}

function reportStartFailure(error: unknown): void {
  const message = isLatchkeyError(error, 'agent_running')
    ? 'Another Latchkey agent is running and did not hand over. Quit the app that runs it and start Latchkey again.'
    : `Latchkey could not start: ${error instanceof Error ? error.message : String(error)}`;
  dialog.showErrorBox('Latchkey', message);
}

function logFailure(logger: Logger, what: string, error: unknown): void {
  logger.warn(`Desktop ${what} failed`, { message: error instanceof Error ? error.message : String(error) });
}
