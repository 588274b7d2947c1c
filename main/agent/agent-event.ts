import type { SessionEvent, SignInProgress } from '../core/session-events';
import type { AgentEventWire, SignInProgressWire } from './agent-wire-types';

/**
 * What the agent announces: every session event of the engine, plus `needs-sign-in`,
 * which the desktop app turns into a notification with a Sign in action.
 */
export type AgentEvent = SessionEvent | { type: 'needs-sign-in'; session: string; profile?: string };

export function toWireEvent(event: AgentEvent): AgentEventWire {
  switch (event.type) {
    case 'sign-in-progress':
      return { type: event.type, session: event.session, progress: toWireProgress(event.progress) };
    case 'signed-in':
    case 'refreshed':
      return { type: event.type, session: event.session, accessTokenExpiresAt: isoTime(event.accessTokenExpiresAtMs) };
    case 'sign-in-failed':
      return { type: event.type, session: event.session, code: event.code };
    case 'signed-out':
      return { type: event.type, session: event.session, reason: event.reason };
    case 'needs-sign-in':
      return { type: event.type, session: event.session, ...(event.profile === undefined ? {} : { profile: event.profile }) };
  }
}

function toWireProgress(progress: SignInProgress): SignInProgressWire {
  switch (progress.type) {
    case 'code-issued':
      return {
        type: progress.type,
        userCode: progress.userCode,
        verificationUri: progress.verificationUri,
        verificationUriComplete: progress.verificationUriComplete,
        expiresAt: isoTime(progress.expiresAtMs),
      };
    case 'waiting':
      return { type: progress.type, nextPollAt: isoTime(progress.nextPollAtMs), intervalSeconds: progress.intervalMs / 1000 };
    case 'network-trouble':
      return { type: progress.type, retryAt: isoTime(progress.retryAtMs), message: progress.message };
    case 'browser-opening':
      return {
        type: progress.type,
        authorizeUrl: progress.authorizeUrl,
        redirectUri: progress.redirectUri,
        expiresAt: isoTime(progress.expiresAtMs),
      };
    case 'approved':
    case 'denied':
    case 'expired':
      return { type: progress.type };
    case 'failed':
      return { type: progress.type, code: progress.code, message: progress.message };
  }
}

/** RFC 3339 UTC without milliseconds, as docs/agent-api.md and the AWS tools write it. */
export function isoTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
