import { LatchkeyError } from './errors';

/**
 * The request header in which a command names the AWS config file it reads (its
 * `AWS_CONFIG_FILE`, made absolute, else `~/.aws/config`), percent-encoded. The agent
 * serves from its own file: when the two differ, the answer would silently come from a
 * file the caller never named, a profile of the same name there possibly being another
 * account, so the agent refuses instead (docs/cli.md, "One AWS config file").
 */
export const CONFIG_FILE_HEADER = 'Latchkey-Aws-Config-File';

export interface RunningAgentIdentity {
  pid: number;
  /** The desktop app runs this agent: quitting it, not `kill`, is how to stop it. */
  app: boolean;
}

/** One sentence naming both files and how to make them one. */
export function configFileMismatchMessage(agent: RunningAgentIdentity, agentFile: string, ownFile: string): string {
  const restart = agent.app
    ? `quit the Latchkey app and start it with AWS_CONFIG_FILE=${ownFile}`
    : `stop the agent (kill ${agent.pid}) and run the command again, which starts one that reads ${ownFile}`;
  return `The Latchkey agent (pid ${agent.pid}) reads the AWS config ${agentFile}, not ${ownFile} that this command reads; ${restart}, or run the command with AWS_CONFIG_FILE=${agentFile}.`;
}

export function configFileMismatch(agent: RunningAgentIdentity, agentFile: string, ownFile: string): LatchkeyError {
  return new LatchkeyError('config_error', configFileMismatchMessage(agent, agentFile, ownFile));
}
