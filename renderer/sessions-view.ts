import type { SessionView } from '../main/core/bridge';
import { Panel } from './panel';
import { byId, element, show } from './dom';
import { formatClockTime, formatTimeLeft } from './format-time';
import { stateIcon, type IconName } from './state-icon';

export interface SessionActions {
  signIn(session: string): void;
  showSignIn(session: string): void;
  signOut(session: string): void;
}

/** Rows needing attention first, then the config's order (a stable sort keeps it). */
export function orderSessions(sessions: readonly SessionView[]): SessionView[] {
  return [...sessions].sort((a, b) => Number(b.needsAttention) - Number(a.needsAttention));
}

/** The sessions list: name, start URL, state as icon and word, expiry as clock time and time left. */
export class SessionsView extends Panel {
  private readonly list = byId('session-list');
  private readonly message = byId('sessions-message');

  constructor(private readonly actions: SessionActions) {
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
    const stateLine = element('p', { className: 'session-state', attributes: { 'data-state': session.needsAttention ? 'attention' : session.state } }, [
      stateIcon(icon),
      element('span', { className: 'session-state-word', text: word }),
    ]);
    const expiry = expiryText(session, nowMs);
    if (expiry) stateLine.append(element('span', { className: 'session-expiry', text: expiry }));
    return element('li', { className: 'session-row', attributes: { 'data-session': session.name } }, [
      element('div', { className: 'session-main' }, [
        element('h2', { className: 'session-name', text: session.name }),
        element('p', { className: 'session-url', text: session.startUrl }),
        stateLine,
      ]),
      element('div', { className: 'session-actions' }, this.buttons(session)),
    ]);
  }

  private buttons(session: SessionView): HTMLButtonElement[] {
    const button = (label: string, kind: string, action: () => void, key: string): HTMLButtonElement => {
      const node = element('button', {
        className: `button ${kind}`,
        text: label,
        attributes: { type: 'button', 'aria-label': `${label}: ${session.name}`, 'data-focus-key': `${key}\u0000${session.name}` },
      });
      node.addEventListener('click', action);
      return node;
    };
    switch (session.state) {
      case 'signing-in':
        return [button('Show sign-in', 'primary', () => this.actions.showSignIn(session.name), 'show')];
      case 'signed-in':
        return [
          button('Sign in again', 'secondary', () => this.actions.signIn(session.name), 'sign-in'),
          button('Sign out', 'quiet', () => this.actions.signOut(session.name), 'sign-out'),
        ];
      case 'signed-out':
        return [button('Sign in', session.needsAttention ? 'primary' : 'secondary', () => this.actions.signIn(session.name), 'sign-in')];
    }
  }
}

function stateOf(session: SessionView): [IconName, string] {
  if (session.state === 'signing-in') return ['hourglass', 'Signing in'];
  if (session.needsAttention && session.state === 'signed-out') return ['attention', 'Needs sign-in'];
  return session.state === 'signed-in' ? ['check', 'Signed in'] : ['signed-out', 'Signed out'];
}

function expiryText(session: SessionView, nowMs: number): string | undefined {
  if (session.state !== 'signed-in' || session.accessTokenExpiresAtMs === undefined) return undefined;
  const until = `until ${formatClockTime(session.accessTokenExpiresAtMs)} (${formatTimeLeft(session.accessTokenExpiresAtMs - nowMs)})`;
  return session.refreshable ? `${until} · renews automatically` : until;
}
