import { isAccountId, isRoleName } from './aws-identifiers';
import type { BridgeEvent, BridgeInvokeMethod, LatchkeyBridge, SessionView, SignOutView } from './bridge';
import type { SignInFlow } from './client-registrar';
import type { Clock } from './clock';
import type { CommandDialect } from './credential-process-command';
import { credentialProcessLines } from './credential-process-lines';
import { Emitter } from './emitter';
import { LatchkeyError } from './errors';
import { DisposableStore, type Disposable } from './lifecycle';
import { silentLogger, type Logger } from './logger';
import type { AccountsView, AddedProfile, RecentRoleView, RoleActions, RoleRef } from './role-actions';
import type { SessionEvent, SignInProgress } from './session-events';
import type { SignOutOutcome, TokenStatus } from './session-tokens';
import type { SsoSessionSettings } from './sso-session-settings';

/** The part of SignInEngine the window needs; tests pass a fake. */
export interface SessionsEngine {
  readonly events: { on(listener: (event: SessionEvent) => void): Disposable };
  signIn(session: SsoSessionSettings, flow: SignInFlow, signal?: AbortSignal): Promise<unknown>;
  isSigningIn(session: string): boolean;
  status(session: string): Promise<TokenStatus>;
  signOut(session: SsoSessionSettings): Promise<SignOutOutcome>;
  retryNow(session: string): void;
}

export interface SessionsControllerOptions {
  engine: SessionsEngine;
  /** The `[sso-session]` sections of the AWS config, read when asked so edits show up. */
  sessions: () => readonly SsoSessionSettings[];
  clock: Clock;
  /** As registered with AWS (latchkeyClientName), shown in the prompt. */
  clientName: string;
  /** The desktop adapter checks the URL against its allowlist before the browser opens. */
  openExternal: (url: string) => Promise<void>;
  writeClipboard: (text: string) => void;
  /** PKCE where a local browser can take the redirect, else the device code (UX.md). */
  chooseFlow: () => SignInFlow;
  /** The OS locale the tray and notifications write clock times in; the window takes it too. */
  clockLocale: string;
  /** The account browser's actions; without them its methods refuse with a sentence. */
  roles?: RoleBrowserOptions;
  logger?: Logger;
}

export interface RoleBrowserOptions {
  actions: RoleActions;
  /** The words that run Latchkey, for the credential_process line the window copies. */
  latchkeyCommand: readonly string[];
  dialect: CommandDialect;
}

/** What the prompt of a running sign-in shows, as the engine announced it. */
type Prompt =
  | { flow: 'device-code'; issued: Extract<SignInProgress, { type: 'code-issued' }>; status?: SessionEvent }
  | { flow: 'pkce'; issued: Extract<SignInProgress, { type: 'browser-opening' }>; status?: SessionEvent };

type BridgeInvoke = Pick<LatchkeyBridge, BridgeInvokeMethod>;

const FLOWS: readonly SignInFlow[] = ['device-code', 'pkce'];
/** Longest session name echoed back in an error: the argument is untrusted page input. */
const ECHO_MAX_CHARS = 64;
const SETTLED_EVENTS = new Set<SessionEvent['type']>(['signed-in', 'sign-in-failed', 'signed-out', 'refreshed']);
const TERMINAL_PROGRESS = new Set<SignInProgress['type']>(['approved', 'denied', 'expired', 'failed']);

/**
 * The main-process side of `window.latchkey`. Every argument comes from the page and is
 * checked here; URLs and codes come only from the engine's own events, never from the
 * page, so a compromised renderer cannot choose what the browser opens or what is copied.
 */
export class SessionsController implements BridgeInvoke, Disposable {
  private readonly output = new Emitter<BridgeEvent>();
  private readonly disposables = new DisposableStore();
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly prompts = new Map<string, Prompt>();
  private readonly attention = new Set<string>();
  private readonly logger: Logger;
  private publishing: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly options: SessionsControllerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.disposables.add(options.engine.events.on((event) => this.onEngineEvent(event)));
    const actions = options.roles?.actions;
    if (actions !== undefined) {
      this.disposables.add(actions.onRecentRolesChanged((recent) => this.fire({ type: 'recent-roles-changed', recent })));
    }
  }

  onEvent(listener: (event: BridgeEvent) => void): Disposable {
    return this.output.on(listener);
  }

  async clockLocale(): Promise<string> {
    return this.options.clockLocale;
  }

  async listSessions(): Promise<SessionView[]> {
    const { engine } = this.options;
    return Promise.all(
      this.options.sessions().map(async (session): Promise<SessionView> => {
        const status = await engine.status(session.name);
        const state = engine.isSigningIn(session.name) ? 'signing-in' : status.signedIn ? 'signed-in' : 'signed-out';
        return {
          name: session.name,
          startUrl: session.startUrl,
          region: session.region,
          state,
          ...(status.signedIn && status.accessTokenExpiresAtMs !== undefined ? { accessTokenExpiresAtMs: status.accessTokenExpiresAtMs } : {}),
          refreshable: status.refreshable,
          needsAttention: this.attention.has(session.name),
          clientName: this.options.clientName,
        };
      }),
    );
  }

  /**
   * Starts a sign-in and returns at once: its progress and outcome arrive as events. A
   * sign-in already running for the session (from here, the tray or the CLI) is not
   * started twice; its prompt is sent again so a freshly opened page can show it.
   */
  async startSignIn(session: unknown, flow?: unknown): Promise<void> {
    const settings = this.knownSession(session);
    const chosen = flow === undefined || flow === null ? this.options.chooseFlow() : checkFlow(flow);
    // "Get a new code" cancels and starts again: let the cancelled flow end first, or the
    // new request would join it.
    const previous = this.running.get(settings.name);
    if (previous?.abort.signal.aborted) await previous.done;
    if (this.options.engine.isSigningIn(settings.name)) {
      this.replayPrompt(settings.name);
      return;
    }
    const abort = new AbortController();
    this.prompts.delete(settings.name);
    const done = this.options.engine
      .signIn(settings, chosen, abort.signal)
      .then(
        () => undefined,
        () => undefined, // The engine reports the failure as a sign-in-failed event.
      )
      .finally(() => {
        if (this.running.get(settings.name)?.abort === abort) this.running.delete(settings.name);
        this.publishSessions();
      });
    this.running.set(settings.name, { abort, done });
    this.publishSessions();
  }

  async retrySignIn(session: unknown): Promise<void> {
    this.options.engine.retryNow(this.knownSession(session).name);
  }

  /** True while a sign-in this controller started (from the window or tray) runs. */
  startedHere(session: string): boolean {
    return this.running.has(session);
  }

  async cancelSignIn(session: unknown): Promise<void> {
    const settings = this.knownSession(session);
    const running = this.running.get(settings.name);
    if (running) {
      running.abort.abort(new LatchkeyError('cancelled', 'The sign-in was cancelled.'));
      return;
    }
    if (this.options.engine.isSigningIn(settings.name)) {
      throw new LatchkeyError('usage_error', `The sign-in of "${settings.name}" was started elsewhere (the CLI); cancel it there.`);
    }
  }

  async signOut(session: unknown): Promise<SignOutView> {
    const settings = this.knownSession(session);
    this.running.get(settings.name)?.abort.abort(new LatchkeyError('cancelled', 'The sign-in was cancelled.'));
    const outcome = await this.options.engine.signOut(settings);
    this.prompts.delete(settings.name);
    this.publishSessions();
    return outcome.awsTold ? { awsTold: true } : { awsTold: false, tokenValidUntilMs: outcome.tokenValidUntilMs };
  }

  async openVerificationPage(session: unknown): Promise<void> {
    const prompt = this.currentPrompt(session, 'open');
    await this.options.openExternal(prompt.flow === 'device-code' ? prompt.issued.verificationUriComplete : prompt.issued.authorizeUrl);
  }

  async copyUserCode(session: unknown): Promise<void> {
    const prompt = this.currentPrompt(session, 'copy');
    if (prompt.flow !== 'device-code') {
      throw new LatchkeyError('usage_error', 'This sign-in continues in the browser and has no code to copy.');
    }
    this.options.writeClipboard(prompt.issued.userCode);
  }

  async copyVerificationUrl(session: unknown): Promise<void> {
    const prompt = this.currentPrompt(session, 'copy');
    this.options.writeClipboard(prompt.flow === 'device-code' ? prompt.issued.verificationUri : prompt.issued.authorizeUrl);
  }

  async listAccounts(session: unknown, refresh?: unknown): Promise<AccountsView> {
    const settings = this.knownSession(session);
    if (refresh !== undefined && typeof refresh !== 'boolean') throw new LatchkeyError('usage_error', 'refresh must be true or false.');
    return this.roleBrowser().actions.accounts(settings, refresh === true);
  }

  async recentRoles(): Promise<RecentRoleView[]> {
    return this.roleBrowser().actions.recentRoles();
  }

  /** The sign-in URL is made and opened on this side: neither it nor the credentials reach the page. */
  async openConsole(role: unknown): Promise<void> {
    const { settings, accountId, roleName } = await this.assignedRole(role);
    await this.roleBrowser().actions.openConsole(settings, accountId, roleName);
  }

  async copyExportCommands(role: unknown): Promise<void> {
    const { settings, accountId, roleName } = await this.assignedRole(role);
    this.options.writeClipboard(await this.roleBrowser().actions.exportCommands(settings, accountId, roleName));
  }

  async copyCredentialProcessLine(role: unknown): Promise<void> {
    const { settings, accountId, roleName } = await this.assignedRole(role);
    const { latchkeyCommand, dialect } = this.roleBrowser();
    this.options.writeClipboard(credentialProcessLines({ latchkeyCommand, session: settings.name, accountId, roleName, region: settings.region, dialect }));
  }

  async addProfile(role: unknown): Promise<AddedProfile> {
    const { settings, accountId, roleName } = await this.assignedRole(role);
    return this.roleBrowser().actions.addProfile(settings, accountId, roleName);
  }

  /** The tray's "Open console…": the page shows the account browser with its search focused. */
  focusAccountSearch(): void {
    this.fire({ type: 'focus-account-search' });
  }

  /** A background tool asked for this signed-out session: its row goes first until it signs in. */
  markNeedsAttention(session: string): void {
    if (!this.options.sessions().some((known) => known.name === session) || this.attention.has(session)) return;
    this.attention.add(session);
    this.publishSessions();
  }

  /** Brings the session's prompt forward in the page, with the prompt it needs to draw. */
  showPrompt(session: string): void {
    this.fire({ type: 'show-prompt', session });
    this.replayPrompt(session);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const running = [...this.running.values()];
    for (const { abort } of running) abort.abort(new LatchkeyError('cancelled', 'Latchkey is closing.'));
    await Promise.all(running.map(({ done }) => done));
    this.running.clear();
    await this.disposables.dispose();
    await this.publishing;
  }

  private onEngineEvent(event: SessionEvent): void {
    this.trackPrompt(event);
    if (event.type === 'signed-in') this.attention.delete(event.session);
    this.fire({ type: 'session-event', event });
    if (SETTLED_EVENTS.has(event.type)) this.publishSessions();
  }

  private trackPrompt(event: SessionEvent): void {
    if (event.type !== 'sign-in-progress') {
      if (event.type !== 'refreshed') this.prompts.delete(event.session);
      return;
    }
    const { progress } = event;
    if (progress.type === 'code-issued') this.prompts.set(event.session, { flow: 'device-code', issued: progress });
    else if (progress.type === 'browser-opening') {
      this.prompts.set(event.session, { flow: 'pkce', issued: progress });
      // A PKCE sign-in asked for in this window goes on in the browser at once; one the
      // CLI started opens where the CLI asked (the agent decides).
      if (this.running.has(event.session)) this.openBrowserFor(event.session, progress.authorizeUrl);
    }
    else if (TERMINAL_PROGRESS.has(progress.type)) this.prompts.delete(event.session);
    else {
      const prompt = this.prompts.get(event.session);
      if (prompt) prompt.status = event;
    }
  }

  private openBrowserFor(session: string, url: string): void {
    this.options.openExternal(url).catch((error: unknown) => {
      this.logger.warn('Could not open the browser for a sign-in', {
        session,
        code: error instanceof LatchkeyError ? error.code : 'internal_error',
      });
    });
  }

  private replayPrompt(session: string): void {
    const prompt = this.prompts.get(session);
    if (!prompt) return;
    this.fire({ type: 'session-event', event: { type: 'sign-in-progress', session, progress: prompt.issued } });
    if (prompt.status) this.fire({ type: 'session-event', event: prompt.status });
  }

  private currentPrompt(session: unknown, action: 'open' | 'copy'): Prompt {
    const settings = this.knownSession(session);
    const prompt = this.prompts.get(settings.name);
    if (!prompt) {
      throw new LatchkeyError('usage_error', `"${settings.name}" has no sign-in waiting for approval, so there is nothing to ${action}; start a sign-in first.`);
    }
    if (prompt.issued.expiresAtMs <= this.options.clock.nowMs()) {
      throw new LatchkeyError('expired_token', `The sign-in code of "${settings.name}" has expired; get a new code.`);
    }
    return prompt;
  }

  private knownSession(session: unknown): SsoSessionSettings {
    if (typeof session !== 'string' || session === '') {
      throw new LatchkeyError('usage_error', 'A session name (a non-empty string) is required.');
    }
    const settings = this.options.sessions().find((known) => known.name === session);
    if (!settings) throw new LatchkeyError('usage_error', `No session named ${echo(session)} in the AWS config.`);
    return settings;
  }

  private roleBrowser(): RoleBrowserOptions {
    const roles = this.options.roles;
    if (roles === undefined) throw new LatchkeyError('usage_error', 'This window has no account browser.');
    return roles;
  }

  /**
   * A role the page names: a known session, an account id and a role name of the right
   * shape, and a role the session's kept listing assigns, so the page can only act on
   * what it was shown.
   */
  private async assignedRole(role: unknown): Promise<{ settings: SsoSessionSettings; accountId: string; roleName: string }> {
    if (typeof role !== 'object' || role === null) throw new LatchkeyError('usage_error', 'A role ({ session, accountId, roleName }) is required.');
    const { session, accountId, roleName } = role as Partial<Record<keyof RoleRef, unknown>>;
    const settings = this.knownSession(session);
    if (!isAccountId(accountId)) throw new LatchkeyError('usage_error', `The account id must be 12 digits, not ${echo(accountId)}.`);
    if (!isRoleName(roleName)) throw new LatchkeyError('usage_error', `${echo(roleName)} is not an IAM role name.`);
    const listing = await this.roleBrowser().actions.accounts(settings, false);
    const assigned = listing.accounts.some((account) => account.accountId === accountId && account.roles.includes(roleName));
    if (!assigned) {
      throw new LatchkeyError('usage_error', `${settings.name} has no role ${echo(roleName)} in account ${accountId}; reload the accounts and roles.`);
    }
    return { settings, accountId, roleName };
  }

  /** Sends the whole list after a change, in order, whatever the keychain's latency. */
  private publishSessions(): void {
    this.publishing = this.publishing
      .then(async () => {
        if (this.disposed) return;
        const sessions = await this.listSessions();
        this.fire({ type: 'sessions-changed', sessions });
      })
      .catch((error: unknown) => {
        this.logger.warn('Could not list sessions for the window', { error: error instanceof Error ? error.message : String(error) });
      });
  }

  private fire(event: BridgeEvent): void {
    if (!this.disposed) this.output.fire(event);
  }
}

function checkFlow(flow: unknown): SignInFlow {
  const known = FLOWS.find((candidate) => candidate === flow);
  if (!known) throw new LatchkeyError('usage_error', `The sign-in flow must be "device-code" or "pkce", not ${echo(flow)}.`);
  return known;
}

function echo(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value;
  return JSON.stringify(text.length > ECHO_MAX_CHARS ? `${text.slice(0, ECHO_MAX_CHARS)}…` : text);
}
