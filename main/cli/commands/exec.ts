import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { ignoreBody, readExecEndpoint } from '../agent-responses';
import type { CliCommand } from '../cli-args';
import type { CliContext } from '../cli-context';
import { credentialTargetBody } from '../credential-query';

/**
 * Variables removed from the child's environment. The SDKs try static keys
 * (AWS_ACCESS_KEY_ID...) and then the shared profile (AWS_PROFILE: its SSO settings,
 * credential_process or static keys) before the container provider, so any of these
 * would silently win over the endpoint `exec` sets up and the command would run as
 * someone else. AWS_CONTAINER_CREDENTIALS_RELATIVE_URI would beat FULL_URI.
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
];

/**
 * Set by the installed app's `latchkey` launcher so that the app binary runs as Node
 * (build/bin/latchkey); a child that inherited them would run any Electron app as Node
 * too, so they end with this process.
 */
const LAUNCHER_VARIABLES = ['ELECTRON_RUN_AS_NODE', 'LATCHKEY_LAUNCHER'];

/** Signals a terminal or supervisor sends to us that the child should get too. */
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * `latchkey exec -- CMD`: binds a container-credentials endpoint to the role, runs CMD
 * with the SDKs' container variables pointing at it, passes CMD's exit code through,
 * and revokes the binding afterwards.
 */
export async function runExec(ctx: CliContext, command: Extract<CliCommand, { name: 'exec' }>): Promise<number> {
  const endpoint = await ctx.withAgent((client) =>
    client.call({ method: 'POST', path: '/v1/exec-endpoints', body: credentialTargetBody(command.target), read: readExecEndpoint }),
  );
  try {
    return await runChild(ctx, command.command, command.args, childEnv(ctx.env, endpoint.url, endpoint.authorizationToken));
  } finally {
    try {
      await ctx.client.call({ method: 'DELETE', path: `/v1/exec-endpoints/${encodeURIComponent(endpoint.id)}`, read: ignoreBody });
    } catch {
      // The command's exit code matters more; an agent that went away took the binding with it.
    }
  }
}

export function childEnv(env: Readonly<Record<string, string | undefined>>, url: string, token: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !SHADOWING_VARIABLES.includes(key) && !LAUNCHER_VARIABLES.includes(key)) out[key] = value;
  }
  out['AWS_CONTAINER_CREDENTIALS_FULL_URI'] = url;
  out['AWS_CONTAINER_AUTHORIZATION_TOKEN'] = token;
  return out;
}

/**
 * Resolves with the child's exit code; as shells do, a child killed by signal N gives
 * 128 + N, a command not found 127 and one that cannot be run 126.
 */
function runChild(ctx: CliContext, file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(file, [...args], { stdio: 'inherit', env });
    // While the child runs we must outlive it (to revoke the binding and report its
    // code), so signals are passed on rather than ending this process.
    const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    const cleanup = (): void => {
      for (const signal of FORWARDED_SIGNALS) process.removeListener(signal, forward);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      const notFound = error.code === 'ENOENT';
      const why = notFound ? 'it was not found on PATH' : error.code === 'EACCES' ? 'it is not executable' : error.message;
      ctx.stderr.write(`latchkey: cannot run "${file}": ${why}.\n`);
      resolve(notFound ? 127 : 126);
    });
    child.on('exit', (code, signal) => {
      cleanup();
      if (code !== null) resolve(code);
      else resolve(128 + (signal === null ? 0 : (constants.signals[signal] ?? 0)));
    });
  });
}
