import { hostname as osHostname, tmpdir, userInfo } from 'node:os';
import { basename, dirname } from 'node:path';
import { awsConfigFilePath, cachedAwsConfigReader } from '../aws/aws-config-file';
import type { Environment } from '../aws/environment';
import { startLoopbackRedirectListener } from '../aws/loopback-redirect-listener';
import type { SsoSessionConfig } from '../core/aws-config';
import { latchkeyClientName } from '../core/client-registrar';
import { systemClock, type Clock } from '../core/clock';
import { Emitter } from '../core/emitter';
import { LatchkeyError, isLatchkeyError } from '../core/errors';
import { LaunchLinkRegistry } from '../core/launch-link-registry';
import { DisposableStore } from '../core/lifecycle';
import type { Logger } from '../core/logger';
import { startLaunchLinkServer } from '../net/launch-link-server';
import { moveSecretRecords } from '../core/secret-records-move';
import { SecretRecordsVault } from '../core/secret-records-vault';
import type { SecretStore } from '../core/secret-store';
import { SignInEngine } from '../core/sign-in-engine';
import { GatedSecretStore } from '../core/gated-secret-store';
import { chooseSignInFlow } from '../core/sign-in-flow-choice';
import { isWsl } from '../core/wsl-detection';
import { readKernelRelease } from '../files/kernel-release';
import type { StoreChoice } from '../core/store-choice';
import { openChosenSecretStore, type ChosenSecretStore } from '../store/chosen-secret-store';
import { AgentConfig } from './agent-config';
import type { AgentEvent } from './agent-event';
import { AgentServer, type AgentServerLimits } from './agent-server';
import type { AgentServices } from './agent-services';
import { AgentRoles } from './agent-roles';
import { addRoleProfile } from './add-role-profile';
import { AwsCliCacheSync } from './aws-cli-cache-sync';
import { consoleOpener } from './console-opener';
import { recentRolesFile, stateDirectory } from './recent-roles-file';
import { watchDirectory } from './directory-watch';
import { ContainerCredentialsServer, type ExecPortLimits } from './container-credentials-server';
import { lookUpCredentials } from './credential-lookup';
import { NeedsSignInNotice } from './needs-sign-in-notice';
import { HttpIdentityCenterApis } from '../aws/http-identity-center-apis';
import { resolveSigninEndpoint } from '../aws/endpoints';
import { FederationClient } from '../aws/federation-client';
import type { RetryTiming } from '../aws/with-retries';
import { ConsoleSignIn } from '../core/console/console-sign-in';
import { RecentRoles, type RecentRolesStore } from '../core/recent-roles';
import { guardedBrowser } from './guarded-browser';
import { openSystemBrowser } from './open-system-browser';
import { programOnPath } from './program-on-path';
import { Router } from './router';
import { registerCredentialRoutes } from './routes/credential-routes';
import { registerEventRoutes } from './routes/event-routes';
import { registerConsoleRoutes } from './routes/console-routes';
import { registerExecRoutes } from './routes/exec-routes';
import { registerSessionRoutes } from './routes/session-routes';
import { registerStatusRoutes } from './routes/status-routes';
import { registerRelayRoutes } from '../relay/relay-routes';
import { SignInCoordinator } from './sign-in-coordinator';
import { defaultSocketPath } from './socket-path';
import { createStderrLogger } from './stderr-logger';

// `latchkey agent` imports it from here (main/cli/commands/agent.ts).
export { runAgentUntilSignal } from './run-agent-until-signal';

export interface AgentOptions {
  env: Environment;
  platform: NodeJS.Platform;
  homeDir: string;
  /** Default: `defaultSocketPath` (LATCHKEY_SOCKET, then the platform's place). */
  socketPath?: string;
  /** True only inside the desktop app, which shows a prompt on `needs-sign-in`. */
  interactive?: boolean;
  /**
   * Called when a client asks this agent to stop (`POST /v1/shutdown`), so the desktop
   * app can take over from a headless agent. Without it the route answers 409.
   */
  onShutdownRequest?: () => void;
  /**
   * Default: the store LATCHKEY_STORE picks (store-choice.ts) under LATCHKEY_KEYCHAIN_SERVICE
   * or "Latchkey". A caller's store is not named in `status` unless `storeChoice` says what it is.
   */
  secretStore?: SecretStore;
  storeChoice?: StoreChoice;
  clock?: Clock;
  logger?: Logger;
  /** Whether this Linux is WSL (the device code by default, pages in Windows' browser). Default: detected. */
  wsl?: boolean;
  /** Receives the sign-in page's URL; the default opens a launch link to it (guarded-browser.ts). */
  openBrowser?: (url: string) => Promise<void>;
  /**
   * The sign-ins' launch links, for an `openBrowser` of the caller's that opens them (the
   * desktop app's); the caller then disposes it. Default: the agent's own.
   */
  launchLinks?: LaunchLinkRegistry;
  /** Tests shrink these. */
  limits?: Partial<AgentServerLimits>;
  execPortLimits?: Partial<ExecPortLimits>;
  eventHeartbeatMs?: number;
  /**
   * Overrides of the HTTP windows of every AWS call (main/aws/http-timing.ts). Only tests
   * set it: the fault matrix shrinks the 10 s timeout and 30 s deadline so that a delay
   * past the timeout costs a fraction of a second per case rather than half a minute.
   */
  retryTiming?: Partial<RetryTiming>;
  /**
   * The command a profile added from the window runs as its credential_process, absolute,
   * one word per element (the desktop app's `resources/bin/latchkey`). Default: this
   * process running the CLI that started it.
   */
  latchkeyCommand?: readonly string[];
  /** Default: recent-roles.json in Latchkey's state folder (recent-roles-file.ts). */
  recentRolesStore?: RecentRolesStore;
}

export interface RunningAgent {
  readonly socketPath: string;
  /** Session events and `needs-sign-in`, for the desktop app's tray and notifications. */
  readonly events: Emitter<AgentEvent>;
  readonly engine: SignInEngine;
  /** Console sign-in, recent roles and the per-role actions, for the desktop app's window and tray. */
  readonly roles: AgentRoles;
  /** Stops serving, ends event streams and exec endpoints, stops the engine, removes the socket. */
  close(): Promise<void>;
}

/**
 * The composition root of the agent: the one place that picks the real implementations
 * (keychain, got clients, loopback listener, system browser) and wires them together.
 * Throws LatchkeyError `agent_running` when a live agent owns the socket.
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { env, platform } = options;
  const clock = options.clock ?? systemClock;
  const wsl = options.wsl ?? (platform === 'linux' && isWsl(env, readKernelRelease()));
  const logger = options.logger ?? createStderrLogger({ debug: env.LATCHKEY_DEBUG === '1' });
  const store = new DisposableStore();
  let openStore: () => void = () => undefined;
  try {
    const apis = store.add(new HttpIdentityCenterApis({ env, clock, logger, timing: options.retryTiming }));
    const chosen: Partial<ChosenSecretStore> & Pick<ChosenSecretStore, 'store'> =
      options.secretStore === undefined
        ? await openChosenSecretStore({ env, platform })
        : { store: options.secretStore, ...(options.storeChoice === undefined ? {} : { choice: options.storeChoice }) };
    const storeChoice = chosen.choice;
    // Opened once this agent holds the socket (below): a second agent, which exits on
    // finding the first, must neither move records nor say which store it would use.
    const storeOpened = new Promise<void>((resolve) => (openStore = resolve));
    const secretStore = new GatedSecretStore(chosen.store, storeOpened);
    // Added first, released last: the listeners it holds outlive their sign-ins (loopback-redirect-listener.ts).
    const launchLinks = options.launchLinks ?? store.add(new LaunchLinkRegistry());
    const openBrowser =
      options.openBrowser ??
      guardedBrowser({
        sessions: async () => [...(await config.load()).ssoSessions.values()],
        env,
        logger,
        launchLinks,
        open: openSystemBrowser({ platform, wsl, findProgram: (name) => programOnPath(name, env.PATH) }),
      });
    // Built after the engine, which needs callbacks that reach them.
    const late: { signIns?: SignInCoordinator; services?: AgentServices; cacheSync?: AwsCliCacheSync } = {};
    const engine = store.add(
      new SignInEngine({
        vault: new SecretRecordsVault({ store: secretStore, logger }),
        apis,
        clock,
        logger,
        clientName: latchkeyClientName(osHostname()),
        oidcEndpoint: (region) => apis.oidcEndpoint(region),
        startLoopback: (loopback) => startLoopbackRedirectListener({ ...loopback, registry: launchLinks }),
        startLaunch: (launch) => startLaunchLinkServer({ ...launch, registry: launchLinks }),
        // Only a caller that asked for a browser gets one (`latchkey login --no-browser` does not).
        openBrowser: async (url) => {
          if (late.signIns?.browserWantedFor(url)) await openBrowser(url);
        },
        // A user signed in with `aws sso login` need not sign in again.
        recoverSignedOut: async (session) => (await late.cacheSync?.recover(session)) ?? false,
        // Refreshes look at the AWS CLI's copy first and hand it the new tokens after.
        peer: {
          read: async (session) => late.cacheSync?.read(session),
          write: async (session, tokens, registration) => late.cacheSync?.write(session, tokens, registration),
        },
      }),
    );
    const signIns = store.add(new SignInCoordinator(engine, clock, async (session) => late.cacheSync?.settled(session)));
    late.signIns = signIns;
    const events = new Emitter<AgentEvent>();
    const needsSignIn = new NeedsSignInNotice(clock, events);
    store.add(engine.events.on((event) => forward(event)));
    function forward(event: AgentEvent): void {
      if (event.type === 'signed-in') needsSignIn.forget(event.session);
      const progress = event.type === 'sign-in-progress' ? event.progress : undefined;
      // A device code has no browser step of its own; open the page if the caller asked for one.
      if (progress?.type === 'code-issued' && signIns.browserWantedFor(progress.verificationUriComplete)) {
        openBrowser(progress.verificationUriComplete).catch(() => undefined);
      }
      events.fire(event);
    }
    const resumed = new Set<string>();
    const config = new AgentConfig(
      awsConfigFilePath({ env, homeDir: options.homeDir }),
      cachedAwsConfigReader({ env, homeDir: options.homeDir }),
      (session) => resume(session),
    );
    const cacheSync = store.add(
      new AwsCliCacheSync({ engine, homeDir: options.homeDir, sessions: async () => (await config.load()).ssoSessions, clock, logger }),
    );
    late.cacheSync = cacheSync;
    function resume(session: SsoSessionConfig): void {
      // The sync setting is part of the key: turned on for a signed-in session, it exports at once.
      const key = `${session.name}\u0000${session.startUrl}\u0000${session.region}\u0000${String(session.syncAwsCache)}`;
      if (resumed.has(key)) return;
      resumed.add(key);
      void cacheSync.resume(session);
      engine.resume(session).catch((error: unknown) => {
        resumed.delete(key);
        logger.warn('Could not resume a session', { session: session.name, message: error instanceof Error ? error.message : String(error) });
      });
    }
    const execEndpoints = store.add(
      new ContainerCredentialsServer({
        logger,
        limits: options.execPortLimits,
        credentialsFor: (target) => {
          if (late.services === undefined) throw new Error('The agent is not started yet.');
          return lookUpCredentials(late.services, target, { waitMs: 0, signal: new AbortController().signal });
        },
      }),
    );
    const recentRoles = new RecentRoles(options.recentRolesStore ?? recentRolesFile(stateDirectory(env, platform, options.homeDir)), clock, logger);
    await recentRoles.load();
    const federation = store.add(new FederationClient({ env, clock, logger, timing: options.retryTiming }));
    const roles = new AgentRoles({
      engine,
      recent: recentRoles,
      consoleSignIn: new ConsoleSignIn({ federation, signinEndpoint: (partition) => resolveSigninEndpoint(partition, env) }),
      openConsoleUrl: consoleOpener({ launchLinks, openBrowser, logger }),
      credentials: (target) => {
        if (late.services === undefined) throw new Error('The agent is not started yet.');
        return lookUpCredentials(late.services, target, { waitMs: 0, signal: new AbortController().signal });
      },
      addProfile: (session, account, roleName) =>
        addRoleProfile({ env, homeDir: options.homeDir, platform, session: session.name, ssoRegion: session.region, account, roleName, latchkeyCommand: profileCommand(options) }),
      clock,
    });
    const services: AgentServices = {
      engine,
      config,
      signIns,
      events,
      needsSignIn,
      recentRoles,
      roles,
      execEndpoints,
      interactive: options.interactive ?? false,
      requestShutdown: options.onShutdownRequest ?? refuseShutdown,
      defaultFlow: (requested) => chooseSignInFlow({ requested, platform, env, wsl }),
      ...(storeChoice === undefined ? {} : { storeChoice }),
      probeStore: () => secretStore.keys().then(
        () => undefined,
        // A LatchkeyError's message is a sentence for people (locked, missing, quota); anything else is named only by its type.
        (error: unknown) => (isLatchkeyError(error) ? error.message : `the store failed (${error instanceof Error ? error.name : 'unknown error'})`),
      ),
      clock,
      logger,
    };
    late.services = services;
    const router = new Router();
    registerStatusRoutes(router, services);
    registerSessionRoutes(router, services);
    registerCredentialRoutes(router, services);
    registerExecRoutes(router, services);
    registerConsoleRoutes(router, services);
    const eventStreams = registerEventRoutes(router, services, { heartbeatMs: options.eventHeartbeatMs });
    const socketPath = agentSocketPath(options);
    registerRelayRoutes(router, socketPath);
    const server = await AgentServer.start({
      socketPath,
      // Only Latchkey's own default directory is corrected; one the user chose is checked.
      mayFixDirectory: options.socketPath === undefined && (env.LATCHKEY_SOCKET ?? '').trim() === '',
      router,
      logger,
      limits: options.limits,
    });
    if (storeChoice !== undefined) logger.info('Keeping secrets in a store', { store: storeChoice.name, reason: storeChoice.reason });
    // Before any session resumes, so a sign-in kept by a Latchkey that chose the other store is found.
    if (chosen.other !== undefined && storeChoice !== undefined) {
      await moveSecretRecords(chosen.other, { name: storeChoice.name, store: chosen.store }, logger).finally(openStore);
    }
    openStore();
    const resumeAll = (): void => {
      config.load().then(
        (loaded) => loaded.ssoSessions.forEach((session) => resume(session)),
        (error: unknown) => logger.warn('Could not read the AWS config', { message: error instanceof Error ? error.message : String(error) }),
      );
    };
    resumeAll();
    const configPath = awsConfigFilePath({ env, homeDir: options.homeDir });
    const onConfigDirectory = (name: string | undefined): void => {
      if (name === undefined || name === basename(configPath)) resumeAll();
    };
    const configWatch = watchDirectory(dirname(configPath), onConfigDirectory, logger);
    if (configWatch !== undefined) store.add(configWatch);
    logger.info('Agent listening', { socketPath: server.socketPath });
    let closing: Promise<void> | undefined;
    return {
      socketPath: server.socketPath,
      events,
      engine,
      roles,
      close(): Promise<void> {
        closing ??= (async () => {
          const serverClosed = server.close();
          eventStreams.dispose();
          await store.dispose();
          await serverClosed;
          // A role used in the last moments is still being written; the file must not be cut off.
          await recentRoles.flushed();
        })();
        return closing;
      },
    };
  } catch (error) {
    // Nothing may wait on the gate while the agent that failed to start shuts down.
    openStore();
    await store.dispose();
    throw error;
  }
}

/** The socket this agent serves on: the option, else LATCHKEY_SOCKET, else the platform's place. */
export function agentSocketPath(options: Pick<AgentOptions, 'socketPath' | 'env' | 'platform' | 'homeDir'>): string {
  return (
    options.socketPath ??
    defaultSocketPath({
      env: options.env,
      platform: options.platform,
      homeDir: options.homeDir,
      uid: process.getuid?.(),
      userName: safeUserName(),
      tmpDir: tmpdir(),
    })
  );
}

/** The CLI that started this agent (`node dist/cli/latchkey.cjs`) unless the caller names another. */
function profileCommand(options: AgentOptions): readonly string[] {
  return options.latchkeyCommand ?? [process.execPath, ...(process.argv[1] === undefined ? [] : [process.argv[1]])];
}

function refuseShutdown(): never {
  throw new LatchkeyError('agent_running', 'This Latchkey agent does not stop on request; quit the app that runs it.');
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}
