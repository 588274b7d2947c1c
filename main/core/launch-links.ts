import { LatchkeyError } from './errors';
import { base64UrlEncode, webCryptoRandomSource, type PkceRandomSource } from './pkce';

/**
 * One-shot launch links: what Latchkey hands the browser instead of a sign-in page's URL.
 * Every local user can read the command line of `xdg-open`, `open` and the browser
 * (/proc/<pid>/cmdline, `ps`), and the pages of a sign-in carry its secrets: the PKCE
 * authorize URL its `state` and `code_challenge`, the device code's complete verification
 * URL the user code. So the browser is sent to `http://127.0.0.1:<port>/<random path>`,
 * whose first GET answers with a redirect to the real page. A second GET of the same link
 * means a second program fetched it: if another user read it first, the victim's browser
 * is the second, and the sign-in stops before the other user's approval can count.
 *
 * This is the pure part: which request gets what. The loopback servers that answer
 * (main/aws/loopback-redirect-listener.ts, main/net/launch-link-server.ts) hold one each.
 */
export type LaunchAnswer =
  /** The first fetch of a live link: send the browser on to the sign-in page. */
  | { kind: 'redirect'; location: string }
  /** A link fetched before: the sign-in must stop (`launchLinkReusedError`). */
  | { kind: 'reused' }
  /** A link of a sign-in that has ended: it leads nowhere now. */
  | { kind: 'finished' }
  /** Not a launch link here: the server answers it as it would without them. */
  | { kind: 'not-launch' };

/** 128 bits: a web page that makes the browser probe the port cannot guess a link. */
const LINK_BYTES = 16;

/** The one sentence the CLI, the window and the browser tab show when a link is fetched twice. */
export const LAUNCH_LINK_REUSED_MESSAGE =
  'The sign-in link was opened twice: another program on this machine may have read it, so the sign-in was stopped; start the sign-in again.';

export function launchLinkReusedError(): LatchkeyError {
  return new LatchkeyError('forbidden', LAUNCH_LINK_REUSED_MESSAGE);
}

export class LaunchLinks {
  /** Path to whether it has been fetched. */
  private readonly links = new Map<string, boolean>();
  private ended = false;

  /**
   * @param authority `127.0.0.1:<port>` of the server that answers the links.
   * @param target The sign-in page a link leads to.
   */
  constructor(
    readonly authority: string,
    readonly target: string,
    private readonly random: PkceRandomSource = webCryptoRandomSource,
  ) {}

  /**
   * A fresh link to the target, to be opened once: each "open the sign-in page" gets its
   * own, so opening the page again (a closed tab, the window's button) is no reuse.
   */
  mint(): string {
    const path = `/${base64UrlEncode(this.random.randomBytes(LINK_BYTES))}`;
    this.links.set(path, false);
    return `http://${this.authority}${path}`;
  }

  /** Whether `url` is a link of this set that has not been fetched yet and may still be opened. */
  isLive(url: string): boolean {
    if (this.ended) return false;
    const prefix = `http://${this.authority}/`;
    if (!url.startsWith(prefix)) return false;
    return this.links.get(url.slice(prefix.length - 1)) === false;
  }

  /**
   * What a request for `path` gets. Only a GET or HEAD whose Host is the authority is
   * given to this (the servers check both first, as for every other request): a page of a
   * rebound name must not be able to spend a link, nor a later one tell it apart.
   */
  answer(path: string): LaunchAnswer {
    const fetched = this.links.get(path);
    if (fetched === undefined) return { kind: 'not-launch' };
    if (fetched) return { kind: 'reused' };
    this.links.set(path, true);
    if (this.ended) return { kind: 'finished' };
    return { kind: 'redirect', location: this.target };
  }

  /** The sign-in has ended: links not fetched yet lead nowhere; fetched ones still tell of a reuse. */
  end(): void {
    this.ended = true;
  }
}

/** A sign-in flow's launch site as the flow sees it (main/net/launch-link-server.ts implements it). */
export interface FlowLaunch {
  /** Rejects with `launchLinkReusedError` when a link is fetched twice; never resolves. */
  readonly misuse: Promise<never>;
  /**
   * The flow has ended: links lead nowhere now. The port stays bound until `holdMs` from
   * the start (a tab may still load a link, and a port given back could be bound by
   * another local user, who would then choose the page that tab shows).
   */
  close(): Promise<void>;
}

export type StartFlowLaunch = (options: { target: string; holdMs: number }) => Promise<FlowLaunch>;
