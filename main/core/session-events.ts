import type { DeviceFlowEvent } from './device-flow';

/** Progress of a PKCE sign-in, for the window and the CLI. */
export type PkceFlowEvent =
  | { type: 'browser-opening'; authorizeUrl: string; redirectUri: string; expiresAtMs: number }
  | { type: 'approved' }
  | { type: 'denied' }
  | { type: 'expired' }
  | { type: 'failed'; code: string; message: string };

export type SignInProgress = DeviceFlowEvent | PkceFlowEvent;

/** What happens to sessions, as the agent's event stream, the tray and notifications see it. */
export type SessionEvent =
  | { type: 'sign-in-progress'; session: string; progress: SignInProgress }
  /** `refreshable`: the sign-in holds a refresh token, so it renews by itself (the window says so at once). */
  | { type: 'signed-in'; session: string; accessTokenExpiresAtMs: number; refreshable: boolean }
  | { type: 'sign-in-failed'; session: string; code: string }
  | { type: 'refreshed'; session: string; accessTokenExpiresAtMs: number }
  | { type: 'signed-out'; session: string; reason: 'token-rejected' | 'refresh-rejected' | 'expired' | 'logout' };
