import { readAccounts, type AgentAccount } from './agent-responses';
import type { CliContext } from './cli-context';
import { configFileHeaders } from './own-config-file';
import { StatusLine } from './terminal';

/**
 * The longest silence between two reports of a listing: a portal that throttles hard
 * keeps the agent in backoff for up to THROTTLE_BACKOFF_MAX_MS per call, and the first
 * report waits for every page of ListAccounts.
 */
const LISTING_SILENCE_TIMEOUT_MS = 120_000;

/**
 * The session's accounts and roles from the agent, which reuses a recent listing unless
 * `refresh` asks anew. While the agent lists, a terminal sees one updating line on stderr
 * ("Listing roles: 120 of 300 accounts…"); stdout never does, nor does a stderr that is
 * not a terminal (a log or a pipe gets no progress at all).
 */
export async function listAccounts(ctx: CliContext, session: string, refresh: boolean): Promise<AgentAccount[]> {
  const path = `/v1/sessions/${encodeURIComponent(session)}/accounts${refresh ? '?refresh=1' : ''}`;
  const line = ctx.stderr.isTTY ? new StatusLine(ctx.stderr) : undefined;
  const headers = configFileHeaders(ctx.env, ctx.homeDir);
  try {
    return await ctx.withAgent((client) =>
      client.callWithProgress({ method: 'GET', path, timeoutMs: LISTING_SILENCE_TIMEOUT_MS, read: readAccounts, headers }, (event) => {
        const progress = readProgress(event);
        if (line !== undefined && progress !== undefined) line.show(progressText(progress.accountsListed, progress.accountsTotal));
      }),
    );
  } finally {
    line?.done();
  }
}

export function progressText(accountsListed: number, accountsTotal: number): string {
  return `Listing roles: ${accountsListed} of ${accountsTotal} account${accountsTotal === 1 ? '' : 's'}…`;
}

/** Only shown, never acted on: anything but two sane counts is ignored. */
function readProgress(event: unknown): { accountsListed: number; accountsTotal: number } | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const { accountsListed, accountsTotal } = event as Record<string, unknown>;
  if (!isCount(accountsListed) || !isCount(accountsTotal) || accountsListed > accountsTotal) return undefined;
  return { accountsListed, accountsTotal };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
