import type { SessionView } from '../main/core/bridge';
import type { ClockText } from '../main/core/clock-text';
import { Panel } from './panel';
import { byId, element, show } from './dom';
import { stateIcon, type IconName } from './state-icon';

export interface SessionActions {
  signIn(session: string): void;
  showSignIn(session: string): void;
  signOut(session: string): void;
}

/** A row's button: `primary` is the one thing the row asks for; a row that asks nothing has none. */
interface RowButton {
  label: string;
  kind: 'primary' | 'secondary';
  key: string;
  run: () => void;
}

/** Rows needing attention first, then the config's order (a stable sort keeps it). */
export function orderSessions(sessions: readonly SessionView[]): SessionView[] {
  return [...sessions].sort((a, b) => Number(b.needsAttention) - Number(a.needsAttention));
}

/**
 * The sessions list: name, start URL, state as icon and word with what it means for the
 * person, then the row's buttons. Every state fills the same slots in the same order, so
 * rows line up whatever their state, and the buttons sit on a line of their own, where
 * one button or two never squeeze the text.
 */
export class SessionsView extends Panel {
  private readonly list = byId('session-list');
  private readonly message = byId('sessions-message');

  constructor(
    private readonly actions: SessionActions,
    private readonly clock: ClockText,
  ) {
    super('sessions', 'sessions-heading');
  }

  showMessage(text: string | undefined): void {
    this.message.textContent = text ?? '';
    show(this.message, text !== undefined);
  }

  render(sessions: readonly SessionView[], nowMs: number): void {
    // Keep focus on the same button across a redraw (a row's state changed under it).
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusKey : undefined;
    this.list.replaceChildren(...orderSessions(sessions).map((session) => this.row(session, nowMs)));
    if (focused) this.list.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
    if (sessions.length === 0) this.showMessage('No sessions yet. Add an [sso-session] section to your AWS config file.');
    else if (this.message.textContent?.startsWith('No sessions')) this.showMessage(undefined);
  }

  private row(session: SessionView, nowMs: number): HTMLLIElement {
    const [icon, word] = stateOf(session);
    const detail = detailText(session, nowMs, this.clock);
    return element('li', { className: 'session-row', attributes: { 'data-session': session.name, 'data-state': stateKey(session) } }, [
      element('h2', { className: 'session-name', text: session.name }),
      element('p', { className: 'session-url', text: session.startUrl }),
      element('p', { className: 'session-state' }, [
        stateIcon(icon),
        // One run of text, so a narrow window wraps it between words, under itself.
        element('span', { className: 'session-state-text' }, [
          element('span', { className: 'session-state-word', text: word }),
          ...(detail === undefined ? [] : [element('span', { className: 'session-detail', text: detail })]),
        ]),
      ]),
      element('div', { className: 'session-actions' }, buttonsOf(session, this.actions).map((b) => this.button(session, b))),
    ]);
  }

  private button(session: SessionView, { label, kind, key, run }: RowButton): HTMLButtonElement {
    const node = element('button', {
      className: `button ${kind}`,
      text: label,
      attributes: { type: 'button', 'aria-label': `${label}: ${session.name}`, 'data-focus-key': `${key}\u0000${session.name}` },
    });
    node.addEventListener('click', run);
    return node;
  }
}

function stateKey(session: SessionView): string {
  return session.needsAttention && session.state === 'signed-out' ? 'attention' : session.state;
}

function stateOf(session: SessionView): [IconName, string] {
  if (session.state === 'signing-in') return ['hourglass', 'Signing in'];
  if (session.needsAttention && session.state === 'signed-out') return ['attention', 'Needs sign-in'];
  return session.state === 'signed-in' ? ['check', 'Signed in'] : ['signed-out', 'Signed out'];
}

/**
 * What the state means for the person. A sign-in that renews has no end worth showing:
 * its credentials are replaced unseen within the hour. One that does not renew ends when
 * its credentials do, so that time is what matters.
 */
function detailText(session: SessionView, nowMs: number, clock: ClockText): string | undefined {
  if (session.state === 'signed-out') return session.needsAttention ? 'a tool is waiting for it' : undefined;
  if (session.state === 'signing-in') return undefined;
  if (session.refreshable) return 'renews by itself';
  const until = session.accessTokenExpiresAtMs;
  return until === undefined ? undefined : `until ${clock.time(until, nowMs)} (${clock.timeLeft(until - nowMs)})`;
}

/** The loudest button is what the row needs: a sign-in to start or to finish. A signed-in row needs nothing. */
function buttonsOf(session: SessionView, actions: SessionActions): RowButton[] {
  const name = session.name;
  switch (session.state) {
    case 'signing-in':
      return [{ label: 'Show sign-in', kind: 'primary', key: 'show', run: () => actions.showSignIn(name) }];
    case 'signed-out':
      return [{ label: 'Sign in', kind: 'primary', key: 'sign-in', run: () => actions.signIn(name) }];
    case 'signed-in': {
      const signOut: RowButton = { label: 'Sign out', kind: 'secondary', key: 'sign-out', run: () => actions.signOut(name) };
      // Only a sign-in that ends has a reason to be made again before it does.
      if (session.refreshable) return [signOut];
      return [{ label: 'Sign in again', kind: 'secondary', key: 'sign-in', run: () => actions.signIn(name) }, signOut];
    }
  }
}
