import { sameFile } from '../../files/same-file';
import { missingFileMessage } from '../../core/aws-config-advice';
import { configFileMismatchMessage } from '../../core/config-file-mismatch';
import { ClockText } from '../../core/clock-text';
import { printable } from '../../core/printable-text';
import { readStatus, type AgentSessionStatus, type AgentStatus } from '../agent-responses';
import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';
import { clockLocale } from '../clock-locale';
import { ownConfigFile } from '../own-config-file';
import { bold, colorEnabled } from '../terminal';

const STATE_WORDS: Readonly<Record<AgentSessionStatus['state'], string>> = {
  'signed-in': 'signed in',
  'signing-in': 'signing in',
  'signed-out': 'signed out',
};

/** `latchkey status`: the sessions of the AWS config and how long each stays signed in. */
export async function runStatus(ctx: CliContext, command: Extract<CliCommand, { name: 'status' }>): Promise<number> {
  const status = await ctx.withAgent((client) => client.call({ method: 'GET', path: '/v1/status', read: readStatus }));
  // On stderr, so that --json stays a document; the sessions shown are the agent's file's.
  const ownFile = ownConfigFile(ctx.env, ctx.homeDir);
  if (status.configFile !== '' && !(await sameFile(status.configFile, ownFile))) {
    ctx.stderr.write(`latchkey: ${printable(configFileMismatchMessage({ pid: status.pid, app: status.interactive }, status.configFile, ownFile))}\n`);
  }
  ctx.stdout.write(command.json ? `${JSON.stringify(statusJson(status), null, 2)}\n` : statusText(status, Date.now(), new ClockText(clockLocale(ctx.env)), colorEnabled(ctx.env, ctx.stdout)));
  return 0;
}

/** The stable `--json` shape, documented in docs/cli.md: every key always present. */
export function statusJson(status: AgentStatus): unknown {
  return {
    version: status.version,
    agentPid: status.pid,
    configFile: status.configFile,
    configFileMissing: status.configFileMissing,
    problems: status.problems,
    configWarnings: status.configWarnings,
    sessions: status.sessions.map((s) => ({
      name: s.name,
      startUrl: s.startUrl,
      region: s.region,
      state: s.state,
      accessTokenExpiresAt: s.accessTokenExpiresAt ?? null,
      refreshable: s.refreshable ?? false,
      signedOut: s.signedOut ?? null,
    })),
    store: status.store ?? null,
  };
}

const STORE_WORDS: Readonly<Record<NonNullable<AgentStatus['store']>['name'], string>> = {
  'secret-service': 'the keychain (Secret Service)',
  'kernel-keyring': 'the kernel keyring',
};

export function statusText(agentStatus: AgentStatus, nowMs: number, clock: ClockText, color: boolean): string {
  const status = printableStatus(agentStatus);
  const lines: string[] = [];
  if (status.configFileMissing) lines.push(printable(missingFileMessage(agentStatus.configFile)));
  else if (status.sessions.length === 0) {
    lines.push(`No [sso-session] sections in ${status.configFile}; add one with sso_start_url and sso_region (see "aws configure sso-session").`);
  }
  const width = Math.max(0, ...status.sessions.map((s) => s.name.length));
  for (const s of status.sessions) {
    lines.push(`${bold(s.name.padEnd(width), color)}  ${STATE_WORDS[s.state].padEnd(10)}  ${detail(s, nowMs, clock)}`);
  }
  if (status.problems.length > 0) {
    lines.push('', 'Problems in the AWS config:');
    for (const problem of status.problems) lines.push(`  ${problem}`);
  }
  if (status.configWarnings.length > 0) {
    lines.push('', 'Read differently by the AWS CLI and the JS SDK:');
    for (const warning of status.configWarnings) lines.push(`  ${warning}`);
  }
  if (status.store !== undefined) lines.push('', `Secrets are kept in ${STORE_WORDS[status.store.name]}: ${status.store.reason}.`);
  return `${lines.join('\n')}\n`;
}

/** The agent's strings as the terminal may show them; `--json` keeps them as sent (JSON escapes what matters there). */
function printableStatus(status: AgentStatus): AgentStatus {
  return {
    ...status,
    version: printable(status.version),
    configFile: printable(status.configFile),
    problems: status.problems.map((problem) => printable(problem)),
    configWarnings: status.configWarnings.map((warning) => printable(warning)),
    ...(status.store === undefined ? {} : { store: { ...status.store, reason: printable(status.store.reason) } }),
    sessions: status.sessions.map((s) => ({ ...s, name: printable(s.name), startUrl: printable(s.startUrl), region: printable(s.region) })),
  };
}

function detail(s: AgentSessionStatus, nowMs: number, clock: ClockText): string {
  if (s.state === 'signed-out') return `${signedOutWhy(s, nowMs, clock)}run "latchkey login --session ${s.name}"  ${s.startUrl}`;
  const until = s.accessTokenExpiresAt === undefined ? Number.NaN : Date.parse(s.accessTokenExpiresAt);
  if (s.state === 'signing-in' || Number.isNaN(until)) return s.startUrl;
  const renews = s.refreshable === true ? ', renews by itself' : '';
  return `until ${clock.time(until, nowMs)} (${clock.timeLeft(until - nowMs)}${renews})  ${s.startUrl}`;
}

/** What ended the sign-in, when the agent saw it: a person must know whether to worry. */
function signedOutWhy(s: AgentSessionStatus, nowMs: number, clock: ClockText): string {
  if (s.signedOut === undefined) return '';
  const at = clock.time(Date.parse(s.signedOut.at), nowMs);
  switch (s.signedOut.reason) {
    case 'ended-by-aws':
      return `at ${at} AWS ended this sign-in (aws sso logout, a sign-out on the portal, or an administrator); `;
    case 'expired':
      return `the sign-in expired at ${at}; `;
    case 'logged-out':
      return `signed out with latchkey logout at ${at}; `;
  }
}
