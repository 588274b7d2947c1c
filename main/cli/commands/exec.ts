import { dirname, join } from 'node:path';
import { isNamedPipe } from '../../agent/socket-path';
import { LatchkeyError } from '../../core/errors';
import type { AgentClient, EventStream } from '../agent-client';
import { readExecEndpoint, type ExecEndpoint } from '../agent-responses';
import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';
import { credentialTargetBody } from '../credential-query';
import { prepareExecProfile, type ExecProfile } from '../exec-profile-files';
import { regionVariables } from '../../core/region-variables';
import { regionSourcesFor } from '../target-region';
import { fetchCredentials } from './fetch-credentials';

/**
 * Variables removed from the child's environment. The SDKs try static keys
 * (AWS_ACCESS_KEY_ID...) and a web identity before the container provider, so any of
 * these would silently win over the endpoint `exec` sets up and the command would run as
 * someone else. AWS_CONTAINER_CREDENTIALS_RELATIVE_URI would beat FULL_URI, and botocore
 * reads the EC2 tools' key file AWS_CREDENTIAL_FILE names before the endpoint too. The
 * older spellings count as much: the Go SDKs and the Java SDK v1 read AWS_ACCESS_KEY and
 * AWS_SECRET_KEY, the JS SDK v2 the AMAZON_ ones. The profile variables are set again to
 * the profile the child acts as (childEnv).
 */
export const SHADOWING_VARIABLES = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_CREDENTIAL_FILE',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'AMAZON_ACCESS_KEY_ID',
  'AMAZON_SECRET_ACCESS_KEY',
  'AMAZON_SESSION_TOKEN',
];

/** What the stream settles to when it ends before its first event. */
const ENDED = Symbol('ended');

/**
 * `latchkey exec -- CMD`: binds a container-credentials endpoint to the role, runs CMD
 * with the SDKs' container variables pointing at it, and passes CMD's exit code through.
 * The binding lives as long as this process holds its connection to the agent, so it
 * ends with this process however that ends, `kill -9` included (docs/agent-api.md).
 */
export async function runExec(ctx: CliContext, command: Extract<CliCommand, { name: 'exec' }>): Promise<number> {
  // Before anything runs: a signed-out session fails here with exit 3 and the login
  // command (or waits, as credential_process does), not in the command much later.
  await fetchCredentials(ctx, command.target, true);
  const { endpoint, stream } = await ctx.withAgent((client) => holdExecEndpoint(client, credentialTargetBody(command.target)));
  let profile: ExecProfile;
  try {
    // After the binding: the agent is running, so its socket's directory exists and was checked.
    profile = await prepareExecProfile({
      env: ctx.env,
      homeDir: ctx.homeDir,
      profile: 'profile' in command.target ? command.target.profile : undefined,
      privateDir: privateDirectory(ctx),
      ownerPid: ctx.pid,
    });
  } catch (error) {
    stream.close();
    throw error;
  }
  let finished = false;
  void stream.closed.then(() => {
    if (!finished) ctx.stderr.write('latchkey: the Latchkey agent stopped; the command can no longer get credentials from it.\n');
  });
  try {
    const env = { ...childEnv(ctx.env, endpoint.url, endpoint.authorizationToken, profile), ...regionVariables(ctx.env, await regionSourcesFor(ctx, command.target)) };
    return await ctx.runChild(command.command, command.args, env);
  } finally {
    finished = true;
    await profile.dispose().catch(() => undefined);
    // Ends the binding. The command's exit code matters more than anything the agent says now.
    stream.close();
  }
}

/**
 * Where the copies of the shared files go: beside the agent's socket, a directory of this
 * user that no one else can enter (the client checked it before connecting); on Windows,
 * where the socket is a named pipe, the user's local application data.
 */
function privateDirectory(ctx: CliContext): string {
  const socketPath = ctx.client.socketPath;
  if (!isNamedPipe(socketPath)) return dirname(socketPath);
  return join(ctx.env['LOCALAPPDATA'] ?? join(ctx.homeDir, 'AppData', 'Local'), 'Latchkey');
}

/**
 * `POST /v1/exec-endpoints`: the agent answers with an event stream whose first event is
 * the endpoint, and keeps the binding while the stream is open.
 */
async function holdExecEndpoint(client: AgentClient, body: object): Promise<{ endpoint: ExecEndpoint; stream: EventStream }> {
  let take: (event: unknown) => void = () => undefined;
  const first = new Promise<unknown>((resolve) => (take = resolve));
  const stream = await client.openStream({ method: 'POST', path: '/v1/exec-endpoints', body }, (event) => take(event));
  const ended = stream.closed.then(() => ENDED);
  try {
    const event = await Promise.race([first, ended]);
    if (event === ENDED) throw new LatchkeyError('network_error', 'The Latchkey agent ended the exec endpoint before sending it.');
    return { endpoint: readExecEndpoint(event), stream };
  } catch (error) {
    stream.close();
    throw error;
  }
}

/**
 * The child's environment: the user's, without the shadowing variables, with the
 * endpoint, and with the profile it acts as (both variables: botocore and the AWS CLI v1
 * read AWS_DEFAULT_PROFILE first) reading the copies of the shared files.
 */
export function childEnv(
  env: Readonly<Record<string, string | undefined>>,
  url: string,
  token: string,
  profile?: Pick<ExecProfile, 'profile' | 'fileVariables'>,
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !SHADOWING_VARIABLES.includes(key)) out[key] = value;
  }
  if (profile?.profile !== undefined) {
    out['AWS_PROFILE'] = profile.profile;
    out['AWS_DEFAULT_PROFILE'] = profile.profile;
  }
  Object.assign(out, profile?.fileVariables);
  out['AWS_CONTAINER_CREDENTIALS_FULL_URI'] = url;
  out['AWS_CONTAINER_AUTHORIZATION_TOKEN'] = token;
  return out;
}
