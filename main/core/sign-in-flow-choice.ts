import type { SignInFlow } from './client-registrar';

export interface FlowChoiceContext {
  /** `--device-code` or `--pkce`, when the person asked for one. */
  requested?: SignInFlow;
  /** `process.platform` of the machine that would open the browser. */
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * PKCE where a browser on this machine can reach the loopback listener; the device code
 * where it cannot: over SSH (the browser is on another machine) or on Linux without a
 * display. The AWS CLI made the same choice, since device codes invite phishing.
 */
export function chooseSignInFlow(context: FlowChoiceContext): SignInFlow {
  if (context.requested) return context.requested;
  return hasLocalBrowser(context) ? 'pkce' : 'device-code';
}

export function hasLocalBrowser({ platform, env }: FlowChoiceContext): boolean {
  if (env.SSH_CONNECTION || env.SSH_TTY) return false;
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}
