/** What bringing a prompt forward touches. */
export interface PromptParts {
  /** Reads the AWS config again, so a session added since launch can be signed in. */
  reloadSessions: () => Promise<void>;
  window: { show(): Promise<void> };
  controller: { startSignIn(session: string): Promise<void>; showPrompt(session: string): void };
}

/**
 * Shows the window with the prompt of `session`, and with `start` begins its sign-in
 * first. Only for a person's click: the tray's "Sign in…" and "Show sign-in", and a
 * notification's Sign in. A sign-in started elsewhere never comes here (agent-event-handler.ts).
 * The window is shown before the sign-in starts, so the code is on screen before any
 * browser opens (UX.md).
 */
export async function showPrompt(parts: PromptParts, session: string, start: boolean): Promise<void> {
  await parts.reloadSessions();
  await parts.window.show();
  if (start) await parts.controller.startSignIn(session);
  parts.controller.showPrompt(session);
}
