import { LatchkeyError } from './errors';

/**
 * One thing wrong in the AWS config file. `message` is one sentence that names the
 * file, the section and the fix, ready for stderr; the other fields let a caller pick
 * the problems that concern the profile or session it was asked about.
 */
export interface AwsConfigProblem {
  filePath: string;
  kind: 'profile' | 'sso-session';
  /** The profile or session name. */
  name: string;
  /** The section header as written: `[profile dev]`, `[sso-session corp]`, `[default]`. */
  section: string;
  message: string;
}

/**
 * The config cannot serve what was asked. Carries every relevant problem so the CLI can
 * print them all, one per line, instead of making the user fix and rerun one at a time,
 * followed by the dialect warnings that may be the cause (aws-config-dialect.ts).
 */
export class AwsConfigError extends LatchkeyError {
  readonly problems: readonly AwsConfigProblem[];

  constructor(problems: readonly AwsConfigProblem[], dialectWarnings: readonly string[] = []) {
    super('config_error', [...problems.map((p) => p.message), ...dialectWarnings].join('\n'));
    this.name = 'AwsConfigError';
    this.problems = problems;
  }
}
