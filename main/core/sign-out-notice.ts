import type { Notice } from './notification-policy';

/**
 * What a person is told when a sign-out could not reach AWS (the portal Logout failed):
 * the records here are gone, but the access token stays valid at AWS until `until`, so
 * someone signing out of a lost or shared machine knows to end it on the portal too.
 * The CLI, the window and the tray all say it in these words.
 */
export function awsNotToldSentence(session: string, until: string, code?: string): string {
  const why = code === undefined ? '' : ` (${code})`;
  return `AWS could not be told of the sign-out of ${session}${why}: its access token stays valid at AWS until ${until}. Nothing on this computer holds it any more; to end it sooner, sign out on the AWS access portal.`;
}

/** The tray's notification for the same: its Sign out has no window to say it in. */
export function awsNotToldNotice(session: string, until: string): Notice {
  return {
    title: `Signed out of ${session}, but AWS was not told`,
    body: `Its access token stays valid at AWS until ${until}. To end it sooner, sign out on the AWS access portal.`,
    sessions: [session],
  };
}
