import type { SignInFlow } from './client-registrar';

export interface FlowChoiceContext {
  /** `--device-code` or `--pkce`, when the person asked for one. */
  requested?: SignInFlow;
  /** `process.platform` of the machine that would open the browser. */
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
  /** This Linux is WSL (main/core/wsl-detection.ts): the browser is on the Windows side. */
  wsl?: boolean;
}

/**
 * PKCE where a browser on this machine can reach the loopback listener; the device code
 * where it cannot: over SSH (the browser is on another machine), on Linux without a
 * display, and on WSL, whose browser is Windows' and reaches the Linux side's loopback
 * only where WSL forwards it (a setting, and not in every networking mode). The AWS CLI
 * made the same choice, since device codes invite phishing.
 */
export function chooseSignInFlow(context: FlowChoiceContext): SignInFlow {
  if (context.requested) return context.requested;
  return hasLocalBrowser(context) ? 'pkce' : 'device-code';
}

export function hasLocalBrowser({ platform, env, wsl }: FlowChoiceContext): boolean {
  if (env.SSH_CONNECTION || env.SSH_TTY || wsl) return false;
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * Whether the agent should try to open the sign-in page: in a local browser, or on WSL in
 * Windows' browser (main/agent/open-system-browser.ts), where the device code's page
 * needs nothing from the Linux side. Never over SSH: the page would open on the remote
 * machine's screen, not in front of the person.
 */
export function canOpenBrowser(context: FlowChoiceContext): boolean {
  if (context.env.SSH_CONNECTION || context.env.SSH_TTY) return false;
  return context.wsl === true || hasLocalBrowser(context);
}
