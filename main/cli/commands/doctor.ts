import { readAwsConfigFile } from '../../aws/aws-config-file';
import { probeEndpoint, type EndpointProbe } from '../../aws/endpoint-probe';
import { resolveOidcEndpoint } from '../../aws/endpoints';
import { TLS_TRUST_CODES } from '../../aws/error-mapping';
import { missingFileMessage } from '../../core/aws-config-advice';
import type { AwsConfig } from '../../core/aws-config';
import { configFileMismatchMessage } from '../../core/config-file-mismatch';
import { clockCheck, doctorExitCode, failed, orderedChecks, passed, skipped, type DoctorCheck } from '../../core/doctor-checks';
import { LatchkeyError } from '../../core/errors';
import { printable } from '../../core/printable-text';
import { DOCTOR_ENDPOINT_TIMEOUT_MS } from '../../core/time-windows';
import { assertTrustedSocket } from '../../files/trusted-path';
import { AgentUnavailableError } from '../agent-client';
import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';
import { readDoctorStatus, type DoctorStatus } from '../doctor-status';
import { ownConfigFile } from '../own-config-file';
import { sameFile } from '../../files/same-file';
import { bold, colorEnabled } from '../terminal';

const STATE_WORDS: Readonly<Record<DoctorCheck['state'], string>> = { ok: 'ok', fail: 'FAIL', skip: 'skip', unknown: '??' };

/**
 * `latchkey doctor`: what a headless user needs, checked in order, one line each with the
 * fix for each failure (docs/cli.md). It starts no agent, never writes the config, and
 * sends IAM Identity Center nothing but a GET of each OIDC endpoint's root.
 */
export async function runDoctor(ctx: CliContext, command: Extract<CliCommand, { name: 'doctor' }>): Promise<number> {
  const ownFile = ownConfigFile(ctx.env, ctx.homeDir);
  const { check: config, parsed } = await configCheck(ctx, ownFile);
  const socket = socketCheck(ctx.client.socketPath);
  const agent = await agentCheck(ctx, socket, ownFile);
  const endpoints = await endpointChecks(parsed, ctx.env);
  const checks = orderedChecks([config, agent.check, socket, storeCheck(agent.answer, agent.check), endpoints.check, endpoints.clock]);
  ctx.stdout.write(command.json ? `${JSON.stringify({ ok: doctorExitCode(checks) === 0, checks }, null, 2)}\n` : doctorText(checks, colorEnabled(ctx.env, ctx.stdout)));
  return doctorExitCode(checks);
}

async function configCheck(ctx: CliContext, ownFile: string): Promise<{ check: DoctorCheck; parsed?: AwsConfig }> {
  let parsed: AwsConfig;
  try {
    // The absolute path: under the native client this runs in the agent, whose directory is not the user's.
    parsed = await readAwsConfigFile({ env: { ...ctx.env, AWS_CONFIG_FILE: ownFile }, homeDir: ctx.homeDir });
  } catch (error) {
    if (!(error instanceof LatchkeyError)) throw error;
    return { check: failed('config', `${ownFile} cannot be read`, [error.message]) };
  }
  if (parsed.fileMissing === true) return { check: failed('config', `${ownFile} does not exist`, [missingFileMessage(ownFile)]) };
  const names = [...parsed.ssoSessions.keys()];
  if (parsed.problems.length > 0) {
    const count = parsed.problems.length === 1 ? '1 problem' : `${parsed.problems.length} problems`;
    return { check: failed('config', `${ownFile} has ${count}`, parsed.problems.map((p) => p.message)), parsed };
  }
  if (names.length === 0) {
    return { check: failed('config', `${ownFile} has no [sso-session] section`, [`Add one with sso_start_url and sso_region (see "aws configure sso-session").`]), parsed };
  }
  return { check: passed('config', `${ownFile}: ${names.length === 1 ? '1 sso-session' : `${names.length} sso-sessions`} (${names.join(', ')})`), parsed };
}

function socketCheck(socketPath: string): DoctorCheck {
  try {
    const found = assertTrustedSocket(socketPath);
    return passed('socket', found === 'present' ? `${socketPath} is this user's alone` : `no socket at ${socketPath} yet, and nobody else can put one there`);
  } catch (error) {
    if (!(error instanceof LatchkeyError)) throw error;
    return failed('socket', `${socketPath} is not safe to use`, [error.message]);
  }
}

async function agentCheck(ctx: CliContext, socket: DoctorCheck, ownFile: string): Promise<{ check: DoctorCheck; answer?: DoctorStatus }> {
  const socketPath = ctx.client.socketPath;
  if (socket.state === 'fail') return { check: skipped('agent', 'not asked, since its socket is not safe') };
  let answer: DoctorStatus;
  try {
    // The client alone, never ctx.withAgent: doctor reports the machine as it is, and starting an agent would change it.
    answer = await ctx.client.call({ method: 'GET', path: '/v1/status?checkStore=1', read: readDoctorStatus });
  } catch (error) {
    if (error instanceof AgentUnavailableError) {
      return {
        check: failed('agent', `no Latchkey agent answers on ${socketPath}`, [
          'Start one: any command (latchkey status) starts one in the background, or run "latchkey agent" to keep one in the foreground; doctor starts none.',
        ]),
      };
    }
    if (error instanceof LatchkeyError) return { check: failed('agent', `the agent on ${socketPath} did not answer its status`, [error.message]) };
    throw error;
  }
  const { status } = answer;
  const who = `pid ${status.pid}${status.interactive ? ', the Latchkey app' : ''}, version ${status.version}`;
  if (status.configFile !== '' && !(await sameFile(status.configFile, ownFile))) {
    const fix = configFileMismatchMessage({ pid: status.pid, app: status.interactive }, status.configFile, ownFile);
    return { check: failed('agent', `the agent (${who}) reads ${status.configFile}, not ${ownFile}`, [fix]), answer };
  }
  return { check: passed('agent', `${who}, reads ${status.configFile}`), answer };
}

function storeCheck(answer: DoctorStatus | undefined, agent: DoctorCheck): DoctorCheck {
  if (answer === undefined) return skipped('store', agent.state === 'skip' ? 'not asked' : 'no agent to ask');
  const { store } = answer.status;
  if (store === undefined) return { id: 'store', state: 'unknown', summary: 'unknown (older agent)', fixes: [] };
  if (answer.storeError !== undefined) return failed('store', `${store.name}: cannot be used now`, [answer.storeError]);
  return passed('store', `${store.name} (${store.reason})`);
}

interface Probed {
  host: string;
  probe: EndpointProbe;
}

/** One OIDC endpoint per region the sessions use, asked one after another (few regions, a person waiting). */
async function endpointChecks(config: AwsConfig | undefined, env: CliContext['env']): Promise<{ check: DoctorCheck; clock: DoctorCheck }> {
  const regions = [...new Set([...(config?.ssoSessions.values() ?? [])].map((s) => s.region))];
  if (regions.length === 0) return { check: skipped('endpoints', 'no sso-session region to check'), clock: skipped('clock', 'no endpoint to compare with') };
  const probed: Probed[] = [];
  const fixes: string[] = [];
  for (const region of regions) {
    try {
      const url = resolveOidcEndpoint(region, env);
      probed.push({ host: new URL(url).host, probe: await probeEndpoint(url, env, DOCTOR_ENDPOINT_TIMEOUT_MS) });
    } catch (error) {
      if (!(error instanceof LatchkeyError)) throw error;
      fixes.push(error.message);
    }
  }
  for (const { host, probe } of probed) if (!probe.reached) fixes.push(unreachableSentence(host, probe.networkCode));
  const answered = probed.flatMap(({ host, probe }) => (probe.reached ? [{ host, probe }] : []));
  const summary = answered.map(({ host, probe }) => `${host} answered (HTTP ${probe.httpStatus})`).join(', ');
  const check =
    fixes.length === 0
      ? passed('endpoints', summary)
      : failed('endpoints', `${fixes.length === 1 ? 'an endpoint cannot' : `${fixes.length} endpoints cannot`} be reached${summary === '' ? '' : `; ${summary}`}`, fixes);
  const first = answered[0];
  const clock = first === undefined ? skipped('clock', 'no endpoint answered to compare with') : clockCheck(first.probe.receivedAtMs, first.probe.dateHeader, first.host);
  return { check, clock };
}

function unreachableSentence(host: string, networkCode: string): string {
  if (TLS_TRUST_CODES.has(networkCode)) {
    return `${host} answered with a TLS certificate this machine does not trust (${networkCode}); if a proxy or private CA signs it, point AWS_CA_BUNDLE at that CA's PEM file.`;
  }
  return `Cannot reach ${host} (${networkCode}); check the network connection and any VPN, and that HTTPS_PROXY (HTTP_PROXY for an http endpoint) names a proxy that reaches it, or NO_PROXY exempts it.`;
}

/** One line per check, then its fixes indented; text from the agent or the config is shown printable. */
function doctorText(checks: readonly DoctorCheck[], color: boolean): string {
  const lines: string[] = [];
  for (const check of checks) {
    const state = STATE_WORDS[check.state].padEnd(4);
    lines.push(`${check.state === 'fail' ? bold(state, color) : state}  ${check.id.padEnd(9)}  ${printable(check.summary)}`);
    for (const fix of check.fixes) lines.push(`${' '.repeat(17)}${printable(fix)}`);
  }
  const failures = checks.filter((check) => check.state === 'fail').length;
  lines.push('', failures === 0 ? 'Everything Latchkey needs here works.' : `${failures === 1 ? '1 check' : `${failures} checks`} failed; the lines under each say what to do.`);
  return `${lines.join('\n')}\n`;
}
