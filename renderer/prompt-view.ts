import type { SessionView } from '../main/core/bridge';
import type { ClockText } from '../main/core/clock-text';
import type { Announcer } from './announcer';
import { crossedAnnouncement } from './countdown';
import { Panel } from './panel';
import { byId, show } from './dom';
import { formatCountdown, formatSeconds } from './format-time';
import { failureSentence, type PromptPhase, type PromptState } from './prompt-state';
import { qrCodeSvg } from './qr-code';
import { setIcon, type IconName } from './state-icon';

export interface PromptActions {
  open(): void;
  copyCode(): void;
  copyLink(): void;
  newCode(): void;
  retryNow(): void;
  tryAgain(): void;
  cancel(): void;
  done(): void;
  close(): void;
}

/** Under this much time left the prompt offers a new code (UX.md). */
const OFFER_NEW_CODE_BELOW_MS = 60_000;
/** How long "Copied ABCD-EFGH" stays on the button before it reads "Copy code" again. */
const COPIED_CONFIRMATION_MS = 4000;

const CODE_PHASES: ReadonlySet<PromptPhase> = new Set(['waiting', 'network-trouble', 'finishing']);

/**
 * The sign-in prompt, top to bottom as UX.md orders it. The skeleton lives in index.html;
 * this only shows, hides and fills it, so focus survives every update.
 */
export class PromptView extends Panel {
  private readonly startUrl = byId('prompt-start-url');
  private readonly clientName = byId('client-name');
  private readonly codeBlock = byId('code-block');
  private readonly userCode = byId('user-code');
  private readonly pkceBlock = byId('pkce-block');
  private readonly actions = byId('prompt-actions');
  private readonly copyCode = byId<HTMLButtonElement>('copy-code');
  private readonly openPage = byId<HTMLButtonElement>('open-page');
  private readonly fallback = byId('fallback');
  private readonly fallbackLabel = byId('fallback-label');
  private readonly verificationUrl = byId('verification-url');
  private readonly copyLink = byId<HTMLButtonElement>('copy-link');
  private readonly otherDevice = byId<HTMLDetailsElement>('other-device');
  private readonly qrSlot = byId('qr-slot');
  private readonly stateIcon = byId('state-icon');
  private readonly stateText = byId('state-text');
  private readonly countdown = byId('countdown');
  private readonly newCode = byId<HTMLButtonElement>('new-code');
  private readonly error = byId('prompt-error');
  private readonly doneButton = byId<HTMLButtonElement>('done');
  private readonly tryAgainButton = byId<HTMLButtonElement>('try-again');
  private readonly renewButton = byId<HTMLButtonElement>('renew');
  private readonly closeButton = byId<HTMLButtonElement>('close');
  private readonly cancelButton = byId<HTMLButtonElement>('cancel');
  private readonly retryNowButton = byId<HTMLButtonElement>('retry-now');
  private state: PromptState | undefined;
  private qrFor: string | undefined;
  /** The countdown at the previous tick; undefined on entering a state, which is no crossing. */
  private lastRemainingMs: number | undefined;
  private copiedTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly handlers: PromptActions,
    private readonly announcer: Announcer,
    private readonly clock: ClockText,
  ) {
    super('prompt', 'prompt-heading');
    this.openPage.addEventListener('click', () => handlers.open());
    this.copyCode.addEventListener('click', () => handlers.copyCode());
    this.copyLink.addEventListener('click', () => handlers.copyLink());
    this.newCode.addEventListener('click', () => handlers.newCode());
    this.retryNowButton.addEventListener('click', () => handlers.retryNow());
    this.tryAgainButton.addEventListener('click', () => handlers.tryAgain());
    this.renewButton.addEventListener('click', () => handlers.newCode());
    this.cancelButton.addEventListener('click', () => handlers.cancel());
    this.doneButton.addEventListener('click', () => handlers.done());
    this.closeButton.addEventListener('click', () => handlers.close());
    // The QR code is drawn only when asked for: most sign-ins never need it.
    this.otherDevice.addEventListener('toggle', () => this.drawQrCode());
  }

  render(state: PromptState, session: Pick<SessionView, 'startUrl' | 'clientName'> | undefined, nowMs: number): void {
    const previous = this.state;
    this.state = state;
    const entered = previous?.phase !== state.phase || previous.session !== state.session;
    const newCode = previous?.userCode !== state.userCode || previous?.browserUrl !== state.browserUrl;
    const device = state.flow === 'device-code';
    const showsCode = CODE_PHASES.has(state.phase);

    this.heading.textContent = headingFor(state);
    this.startUrl.textContent = session?.startUrl ?? '';
    // UX.md: the AWS page shows the registered client name; the prompt repeats it.
    this.clientName.textContent = session === undefined ? '' : `The AWS page names this app “${session.clientName}”.`;
    this.userCode.textContent = state.userCode ?? '';
    show(this.codeBlock, showsCode && device && state.userCode !== undefined);
    show(this.pkceBlock, showsCode && state.flow === 'pkce');
    show(this.clientName, showsCode && session !== undefined);
    show(this.actions, (state.phase === 'waiting' || state.phase === 'network-trouble') && state.browserUrl !== undefined);
    show(this.copyCode, device);
    show(this.fallback, showsCode && state.browserUrl !== undefined);
    show(this.otherDevice, device);
    this.fallbackLabel.textContent = device ? 'Or go to' : 'Sign-in link:';
    this.verificationUrl.textContent = device ? (state.verificationUri ?? '') : shortUrl(state.browserUrl);
    if (newCode) this.resetCodeControls();

    show(this.doneButton, state.phase === 'approved');
    show(this.tryAgainButton, state.phase === 'denied' || state.phase === 'failed');
    show(this.renewButton, state.phase === 'expired');
    show(this.closeButton, state.phase === 'denied' || state.phase === 'failed' || state.phase === 'expired');
    show(this.cancelButton, state.phase === 'starting' || state.phase === 'waiting' || state.phase === 'network-trouble');
    // UX.md: network trouble offers Retry now; the countdown keeps running meanwhile.
    show(this.retryNowButton, state.phase === 'network-trouble');
    this.newCode.textContent = device ? 'Get a new code' : 'Start again';
    this.renewButton.textContent = this.newCode.textContent;
    this.root.dataset.phase = state.phase;
    if (entered) this.showError(undefined);
    if (entered) this.lastRemainingMs = undefined;
    this.tick(nowMs);
    if (entered) this.enter(state);
  }

  /** Once a second: the countdown, the retry line, and the offer of a new code. */
  tick(nowMs: number): void {
    const state = this.state;
    if (!state) return;
    const [icon, text] = statusFor(state, nowMs, this.clock);
    setIcon(this.stateIcon, icon);
    this.stateText.textContent = text;
    this.stateIcon.parentElement?.setAttribute('data-phase', state.phase);
    const counting = (state.phase === 'waiting' || state.phase === 'network-trouble') && state.expiresAtMs !== undefined;
    show(this.countdown, counting);
    const remainingMs = (state.expiresAtMs ?? nowMs) - nowMs;
    show(this.newCode, counting && remainingMs < OFFER_NEW_CODE_BELOW_MS);
    if (!counting) return;
    const what = state.flow === 'pkce' ? 'Sign-in link' : 'Code';
    this.countdown.textContent = remainingMs > 0 ? `${what} expires in ${formatCountdown(remainingMs)}` : `${what} expired`;
    const milestone = this.lastRemainingMs === undefined ? undefined : crossedAnnouncement(this.lastRemainingMs, remainingMs);
    this.lastRemainingMs = remainingMs;
    if (milestone !== undefined) this.announcer.say(milestoneSentence(what, milestone));
  }

  /** Enter: the one action the state is about. */
  primaryAction(): (() => void) | undefined {
    switch (this.state?.phase) {
      case 'waiting':
      case 'network-trouble':
        return this.handlers.open;
      case 'approved':
        return this.handlers.done;
      case 'denied':
      case 'failed':
        return this.handlers.tryAgain;
      case 'expired':
        return this.handlers.newCode;
      default:
        return undefined;
    }
  }

  /** Esc: leave without doing anything more. */
  escapeAction(): () => void {
    switch (this.state?.phase) {
      case 'approved':
        return this.handlers.done;
      case 'denied':
      case 'failed':
      case 'expired':
        return this.handlers.close;
      default:
        return this.handlers.cancel;
    }
  }

  /** An action the app refused (an expired code, a blocked URL): said in place and aloud. */
  showError(text: string | undefined): void {
    this.error.textContent = text ?? '';
    show(this.error, text !== undefined);
    if (text !== undefined) this.announcer.warn(text);
  }

  confirmCopied(what: 'code' | 'link'): void {
    const button = what === 'code' ? this.copyCode : this.copyLink;
    const text = what === 'code' ? `Copied ${this.state?.userCode ?? ''}` : 'Link copied';
    button.textContent = text;
    this.announcer.say(text);
    clearTimeout(this.copiedTimer);
    this.copiedTimer = setTimeout(() => this.resetCodeControls(), COPIED_CONFIRMATION_MS);
  }

  private resetCodeControls(): void {
    this.copyCode.textContent = 'Copy code';
    this.copyLink.textContent = 'Copy link';
    this.qrFor = undefined;
    this.qrSlot.replaceChildren();
    if (this.otherDevice.open) this.drawQrCode();
  }

  private drawQrCode(): void {
    const url = this.state?.flow === 'device-code' ? this.state.browserUrl : undefined;
    if (!this.otherDevice.open || !url || this.qrFor === url) return;
    this.qrFor = url;
    this.qrSlot.replaceChildren(qrCodeSvg(url, 'QR code of the AWS sign-in page with this code filled in'));
  }

  /** Focus and announcements on entering a state; focus lands on what the state offers (UX.md). */
  private enter(state: PromptState): void {
    const text = this.stateText.textContent ?? '';
    switch (state.phase) {
      case 'waiting':
        this.announcer.say(state.flow === 'pkce' ? `Continue in your browser. ${text}` : `Sign-in code ready. ${text}`);
        return;
      case 'network-trouble':
        this.announcer.say('Can’t reach AWS. Latchkey keeps retrying; the code is still valid.');
        return;
      case 'approved':
        this.announcer.say(`${this.heading.textContent ?? ''}. ${text}`);
        this.doneButton.focus();
        return;
      case 'denied':
      case 'failed':
        this.announcer.warn(text);
        this.tryAgainButton.focus();
        return;
      case 'expired':
        this.announcer.warn(text);
        this.renewButton.focus();
        return;
      default:
        return;
    }
  }
}

function headingFor(state: PromptState): string {
  switch (state.phase) {
    case 'approved':
      return `Signed in to ${state.session}`;
    // Every settled screen names its session: with several, "Code expired" alone says not which.
    case 'denied':
      return `Sign-in to ${state.session} declined`;
    case 'expired':
      return state.flow === 'pkce' ? `Sign-in link for ${state.session} expired` : `Code for ${state.session} expired`;
    case 'failed':
      return `Sign-in to ${state.session} failed`;
    default:
      return `Sign in to ${state.session}`;
  }
}

function statusFor(state: PromptState, nowMs: number, clock: ClockText): [IconName, string] {
  switch (state.phase) {
    case 'starting':
      return ['hourglass', state.flow === 'pkce' ? 'Opening your browser…' : 'Getting a sign-in code…'];
    case 'waiting':
      return ['hourglass', 'Approve in your browser, then come back here.'];
    case 'network-trouble':
      return ['offline', `Can’t reach AWS. Retrying in ${formatSeconds((state.retryAtMs ?? nowMs) - nowMs)}.`];
    case 'finishing':
      return ['check', 'Approved. Finishing sign-in…'];
    case 'approved':
      return ['check', approvedSentence(state, nowMs, clock)];
    case 'denied':
      return ['cross', 'Declined in the browser. Nothing was issued.'];
    case 'expired':
      return ['clock', state.flow === 'pkce' ? 'This sign-in link expired before it was used.' : 'This code expired before it was approved.'];
    case 'failed':
      return ['attention', failureSentence(state.failure)];
    case 'cancelled':
      return ['signed-out', 'Sign-in cancelled.'];
  }
}

/**
 * The heading already says "Signed in to corp"; the line says whether anything more will
 * be asked. The credentials of a sign-in that renews end within the hour and are replaced
 * unseen, so their end time would only suggest a deadline that does not exist.
 */
function approvedSentence(state: PromptState, nowMs: number, clock: ClockText): string {
  // AWS does not say when it will end the sign-in (the organization's session length), so no time is given.
  if (state.renews === true) return 'Latchkey renews it by itself; you sign in again only when AWS ends the sign-in.';
  if (state.signedInUntilMs === undefined) return 'Signed in.';
  return `Credentials until ${clock.time(state.signedInUntilMs, nowMs)}. This sign-in does not renew by itself.`;
}

function milestoneSentence(what: string, milestoneMs: number): string {
  if (milestoneMs === 0) return `${what} expired.`;
  const minutes = Math.round(milestoneMs / 60_000);
  return `${what} expires in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

/** The authorize URL is long and full of parameters; the page shows where it goes. */
function shortUrl(url: string | undefined): string {
  if (!url) return '';
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '';
  }
}
