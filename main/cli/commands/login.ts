import { ClockText } from '../../core/clock-text';
import { canOpenBrowser, chooseSignInFlow } from '../../core/sign-in-flow-choice';
import { LatchkeyError, isLatchkeyError } from '../../core/errors';
import { isJsonObject } from '../../core/json-object';
import { printable } from '../../core/printable-text';
import type { AgentClient } from '../agent-client';
import { ignoreBody, readSignInOutcome, readStatus, type AgentSessionStatus, type SignInOutcome } from '../agent-responses';
import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';
import { clockLocale } from '../clock-locale';
import { StatusLine, bold, colorEnabled, minutesSeconds } from '../terminal';

type LoginCommand = Extract<CliCommand, { name: 'login' }>;

/**
 * The agent gives up on a device code after 10 minutes and on a PKCE redirect after 10
 * minutes; the wait asks for a little more so the agent, not the socket, ends it.
 */
const SIGN_IN_WAIT_SECONDS = 660;
const WAIT_MARGIN_MS = 15_000;
/** The countdown on a terminal ticks once a second. */
const TICK_MS = 1_000;

/**
 * `latchkey login`: starts the sign-in in the agent and follows its events. The code and
 * the address go to stderr first (UX.md: the code is shown before any browser opens);
 * the agent opens the browser when asked to. The outcome comes from `sign-in/wait`, so a
 * dropped event cannot leave the command hanging or report the wrong result.
 */
export async function runLogin(ctx: CliContext, command: LoginCommand): Promise<number> {
  const session = command.session;
  const here = { platform: ctx.platform, env: ctx.env, wsl: ctx.wsl };
  const flow = chooseSignInFlow({ ...here, ...(command.flow ? { requested: command.flow } : {}) });
  const openBrowser = command.openBrowser && canOpenBrowser(here);
  const view = new LoginView(ctx, session);
  const clock = new ClockText(clockLocale(ctx.env));
  return ctx.withAgent(async (client) => {
    const status = await client.call({ method: 'GET', path: '/v1/status', read: readStatus });
    const current = status.sessions.find((s) => s.name === session);
    if (current?.state === 'signed-in' && !command.force) {
      ctx.stderr.write(`${alreadySignedIn(current, Date.now(), clock)}\n`);
      return 0;
    }
    const events = await client.openEvents((event) => view.onEvent(event));
    const cancel = (): void => void cancelSignIn(client, session, view);
    const stopListening = ctx.onInterrupt(cancel);
    try {
      await client.call({
        method: 'POST',
        path: `/v1/sessions/${encodeURIComponent(session)}/sign-in`,
        // Named, so that a tool that needs this session meanwhile can say where the sign-in runs.
        body: { flow, openBrowser, requester: { command: 'latchkey login', pid: ctx.pid } },
        read: ignoreBody,
      });
      const outcome = await client.call({
        method: 'POST',
        path: `/v1/sessions/${encodeURIComponent(session)}/sign-in/wait?timeoutSeconds=${SIGN_IN_WAIT_SECONDS}`,
        timeoutMs: SIGN_IN_WAIT_SECONDS * 1000 + WAIT_MARGIN_MS,
        read: readSignInOutcome,
      });
      view.finish();
      ctx.stderr.write(`${signedIn(session, outcome, Date.now(), clock)}\n`);
      return 0;
    } catch (error) {
      view.finish();
      if (isLatchkeyError(error, 'cancelled') && !view.cancelled && (await agentStopped(client, status.pid))) {
        throw new LatchkeyError('cancelled', `The Latchkey agent stopped during the sign-in to ${session}; run "latchkey login --session ${session}" again (it starts a new agent).`);
      }
      throw explainFailure(error, session);
    } finally {
      stopListening();
      events.close();
    }
  });
}

async function cancelSignIn(client: AgentClient, session: string, view: LoginView): Promise<void> {
  view.cancelled = true;
  try {
    await client.call({ method: 'DELETE', path: `/v1/sessions/${encodeURIComponent(session)}/sign-in`, read: ignoreBody });
  } catch {
    // The wait below still ends with the agent's answer, or the socket's timeout.
  }
}

/** "corp is signed in until 17:42 (renews by itself)": `login` without `--force` leaves it so. */
/**
 * "Signed in to corp until 17:42 (renews by itself)." For a session that renews, the
 * one-hour credentials' time is not what the person needs; that it renews is.
 */
function signedIn(session: string, outcome: SignInOutcome, nowMs: number, clock: ClockText): string {
  const until = outcome.accessTokenExpiresAt === undefined ? Number.NaN : Date.parse(outcome.accessTokenExpiresAt);
  if (Number.isNaN(until)) return `Signed in to ${session}.`;
  const how = outcome.refreshable === true ? 'renews by itself' : `${clock.timeLeft(until - nowMs)}; it does not renew`;
  return `Signed in to ${session} until ${clock.time(until, nowMs)} (${how}).`;
}

export function alreadySignedIn(s: AgentSessionStatus, nowMs: number, clock: ClockText): string {
  const until = s.accessTokenExpiresAt === undefined ? Number.NaN : Date.parse(s.accessTokenExpiresAt);
  const name = printable(s.name);
  const again = `run "latchkey login --session ${name} --force" to sign in again`;
  if (Number.isNaN(until)) return `${name} is signed in; ${again}.`;
  const how = s.refreshable === true ? 'renews by itself' : `${clock.timeLeft(until - nowMs)}; it does not renew`;
  return `${name} is signed in until ${clock.time(until, nowMs)} (${how}); ${again}.`;
}

/** Whether the agent that ran the sign-in is gone: it answers no more, or another one does. */
async function agentStopped(client: AgentClient, pid: number): Promise<boolean> {
  try {
    return (await client.call({ method: 'GET', path: '/v1/status', read: readStatus })).pid !== pid;
  } catch {
    return true;
  }
}

function explainFailure(error: unknown, session: string): unknown {
  if (!(error instanceof LatchkeyError)) return error;
  const again = `run "latchkey login --session ${session}" to try again`;
  switch (error.code) {
    case 'access_denied':
      return new LatchkeyError('access_denied', `The sign-in to ${session} was declined in the browser and nothing was issued; ${again}.`);
    case 'expired_token':
      return new LatchkeyError('expired_token', `The sign-in code for ${session} expired before it was approved; ${again}.`);
    case 'cancelled':
      return new LatchkeyError('cancelled', `The sign-in to ${session} was cancelled (here, in the Latchkey window, or by latchkey logout); ${again}.`);
    case 'invalid_client':
      // The registration went away after the code was shown: the agent stopped rather than issue a new code unasked.
      return new LatchkeyError('invalid_client', `${error.message.replace(/; start the sign-in again for a new code\.$/, '')}; ${again} for a new code.`);
    default:
      return error;
  }
}

/** Renders the agent's events for one session: the code or address once, then one status line. */
class LoginView {
  cancelled = false;
  private readonly line: StatusLine;
  private readonly color: boolean;
  private status: { text: (nowMs: number) => string; key: string } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private shownPrompt: string | undefined;
  private codeExpiresAtMs: number | undefined;

  constructor(private readonly ctx: CliContext, private readonly session: string) {
    this.line = new StatusLine(ctx.stderr);
    this.color = colorEnabled(ctx.env, ctx.stderr);
  }

  onEvent(value: unknown): void {
    if (!isJsonObject(value) || value['session'] !== this.session) return;
    if (value['type'] !== 'sign-in-progress' || !isJsonObject(value['progress'])) return;
    const progress = value['progress'];
    const expiresAtMs = timeMs(progress['expiresAtMs'] ?? progress['expiresAt']);
    switch (progress['type']) {
      case 'code-issued':
        this.codeExpiresAtMs = expiresAtMs;
        this.prompt(
          str(progress['userCode']),
          `To sign in to ${this.session}, open ${str(progress['verificationUri'])} and confirm this code:\n\n` +
            `    ${bold(str(progress['userCode']), this.color)}\n\n` +
            `Approve only if the browser shows this code. Direct link: ${str(progress['verificationUriComplete'])}\n`,
        );
        this.showWaiting();
        break;
      case 'browser-opening':
        this.codeExpiresAtMs = expiresAtMs;
        this.prompt(str(progress['authorizeUrl']), `To sign in to ${this.session}, open this address in your browser:\n\n    ${str(progress['authorizeUrl'])}\n\n`);
        this.showWaiting();
        break;
      case 'waiting':
        // Sent once AWS answered a poll: any network trouble is over.
        this.showWaiting();
        break;
      case 'network-trouble': {
        const retryAtMs = timeMs(progress['retryAtMs'] ?? progress['retryAt']);
        this.setStatus('network', (now) => {
          const retry = retryAtMs === undefined ? '' : ` in ${Math.max(0, Math.ceil((retryAtMs - now) / 1000))} s`;
          return `Can't reach AWS, retrying${retry}${expiresIn(this.codeExpiresAtMs, now)}`;
        });
        break;
      }
      case 'approved':
        this.setStatus('approved', () => 'Approved; finishing the sign-in');
        break;
      default:
        break;
    }
  }

  private showWaiting(): void {
    this.setStatus('waiting', (now) => `Waiting for approval in the browser${expiresIn(this.codeExpiresAtMs, now)}`);
  }

  finish(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.line.done();
  }

  /** Shows the code or address once; a different one (a new flow) is shown too, so the screen never holds a dead code. */
  private prompt(key: string, text: string): void {
    if (this.shownPrompt === key) return; // a joined sign-in can repeat its progress
    const replaced = this.shownPrompt !== undefined;
    this.shownPrompt = key;
    this.line.done();
    this.ctx.stderr.write(replaced ? `\nThe sign-in shown above was replaced by a new one. ${text}` : text);
  }

  private setStatus(key: string, text: (nowMs: number) => string): void {
    this.status = { key, text };
    this.render();
    if (this.timer === undefined && this.ctx.stderr.isTTY) {
      this.timer = setInterval(() => this.render(), TICK_MS);
      this.timer.unref();
    }
  }

  private render(): void {
    if (this.status === undefined || this.cancelled) return;
    this.line.show(this.status.text(Date.now()), this.status.key);
  }
}

function expiresIn(expiresAtMs: number | undefined, nowMs: number): string {
  return expiresAtMs === undefined ? '' : ` (code expires in ${minutesSeconds(expiresAtMs - nowMs)})`;
}

/** The agent may send times as epoch milliseconds or RFC 3339 strings; either reads. */
function timeMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** Every string of an event, as the terminal may show it: the agent's socket is not trusted to send clean text. */
function str(value: unknown): string {
  return typeof value === 'string' ? printable(value) : '';
}
