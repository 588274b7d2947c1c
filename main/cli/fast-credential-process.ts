import { homedir, tmpdir } from 'node:os';
// A tiny pure module (node:path only), shared so the CLI and the agent can never
// disagree on the path.
import { defaultSocketPath } from '../agent/socket-path';
import { readCredentials } from './agent-responses';
import { configFileHeaders } from './own-config-file';
import { credentialProcessLine, toRfc3339Seconds } from './credential-process-output';
import { socketHttpExchange } from './socket-http';

/** The agent answers warm credentials in about a millisecond; anything slower goes the full way. */
const FAST_TIMEOUT_MS = 5_000;

/**
 * The usual `credential_process` call, `latchkey credential-process --profile P` with an
 * agent that has the credentials, answered with as little as Node can load: the AWS CLI
 * runs it before every command (`npm run bench`). Anything else (other arguments, no
 * agent, a signed-out session, any error) returns false without a word, and the full CLI
 * (run-cli.ts) handles the call from the start, messages and exit codes included.
 */
export async function answerCredentialProcessFast(proc: NodeJS.Process): Promise<boolean> {
  const [command, flag, profile, ...extra] = proc.argv.slice(2);
  if (command !== 'credential-process' || flag !== '--profile' || !profile || profile.startsWith('-') || extra.length > 0) return false;
  // The Windows pipe name needs the user name, which costs a lookup; the full CLI has it.
  if (proc.platform === 'win32') return false;
  const homeDir = homedir();
  const socketPath = defaultSocketPath({
    env: proc.env,
    platform: proc.platform,
    homeDir,
    tmpDir: tmpdir(),
    uid: proc.getuid?.(),
    userName: '',
  });
  try {
    // waitSeconds=0: waiting for a sign-in, with its notice on stderr, is the full CLI's job.
    const answer = await socketHttpExchange(socketPath, {
      method: 'GET',
      path: `/v1/credentials?profile=${encodeURIComponent(profile)}&waitSeconds=0`,
      // A refusal for another config file (400) goes the full way, which says so.
      headers: { ...configFileHeaders(proc.env, homeDir), Host: 'latchkey', Accept: 'application/json' },
      timeoutMs: FAST_TIMEOUT_MS,
    });
    if (answer.status !== 200) return false;
    const credentials = readCredentials(JSON.parse(answer.text));
    proc.stdout.write(credentialProcessLine({ ...credentials, Expiration: toRfc3339Seconds(credentials.Expiration) }));
    return true;
  } catch {
    return false;
  }
}
