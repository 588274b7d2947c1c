import { parseArgs } from 'node:util';
import { isAccountId, isRegionCode } from '../core/aws-identifiers';
import type { SignInFlow } from '../core/client-registrar';
import { closestName } from '../core/closest-name';
import { LatchkeyError } from '../core/errors';
import { systemErrorCode } from '../core/system-error-code';
import { COMMAND_USAGE, MAIN_USAGE } from './usage';

/** The role a command gets credentials for: a profile, or the session, account and role spelled out. */
export type CredentialTarget =
  | { profile: string }
  | { session: string; accountId: string; roleName: string }
  /** `export`, `exec` and `console` take an account's name (resolved by the agent); credential-process takes an id only. */
  | { session: string; accountName: string; roleName: string };

/** What `console` asks of the agent beside the role. */
export interface ConsoleOptions {
  region?: string;
  destination?: string;
  print: boolean;
}

export type CliCommand =
  | { name: 'help'; text: string }
  | { name: 'version' }
  | { name: 'agent' }
  | { name: 'login'; session: string; flow?: SignInFlow; openBrowser: boolean; force: boolean }
  | { name: 'logout'; session?: string }
  | { name: 'status'; json: boolean }
  | { name: 'doctor'; json: boolean }
  /** Without --session, the one sso-session of the AWS config (the command resolves it). */
  | { name: 'accounts'; session?: string; filter: string; json: boolean; refresh: boolean }
  | ({ name: 'console'; target: CredentialTarget } & ConsoleOptions)
  | { name: 'credential-process'; target: CredentialTarget; wait: boolean }
  | { name: 'export'; target: CredentialTarget; format: 'env' | 'json' }
  | { name: 'exec'; target: CredentialTarget; command: string; args: string[] }
  | { name: 'setup-profiles'; session: string; region?: string; refresh: boolean };

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

const HELP: OptionSpec = { help: { type: 'boolean' } };
const TARGET_OPTIONS: OptionSpec = {
  profile: { type: 'string' },
  session: { type: 'string' },
  account: { type: 'string' },
  role: { type: 'string' },
};

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  agent: {},
  login: { session: { type: 'string' }, 'device-code': { type: 'boolean' }, pkce: { type: 'boolean' }, 'no-browser': { type: 'boolean' }, force: { type: 'boolean' } },
  logout: { session: { type: 'string' }, all: { type: 'boolean' } },
  status: { json: { type: 'boolean' } },
  doctor: { json: { type: 'boolean' } },
  accounts: { session: { type: 'string' }, json: { type: 'boolean' }, refresh: { type: 'boolean' } },
  'credential-process': { ...TARGET_OPTIONS, 'no-wait': { type: 'boolean' } },
  console: { ...TARGET_OPTIONS, region: { type: 'string' }, destination: { type: 'string' }, print: { type: 'boolean' } },
  export: { ...TARGET_OPTIONS, format: { type: 'string' } },
  exec: TARGET_OPTIONS,
  'setup-profiles': { session: { type: 'string' }, region: { type: 'string' }, refresh: { type: 'boolean' } },
};

type Values = Record<string, string | boolean | undefined>;

/** Parses argv (without node and the script); a usage problem is a LatchkeyError `usage_error`. */
/** `env` supplies AWS_PROFILE, which names the profile where no target is given (as the SDKs read it). */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CliCommand {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') return { name: 'help', text: MAIN_USAGE };
  if (name === '--version' || name === '-v') return { name: 'version' };
  if (name === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { name: 'help', text: MAIN_USAGE };
    return { name: 'help', text: COMMAND_USAGE[topic] ?? unknownCommand(topic) };
  }
  const spec = OPTIONS[name];
  if (spec === undefined) return unknownCommand(name);

  // Everything after the first `--` belongs to the command `exec` runs, never to us.
  const split = rest.indexOf('--');
  const ours = split === -1 ? rest : rest.slice(0, split);
  const theirs = split === -1 ? undefined : rest.slice(split + 1);
  const { values, positionals } = parseOptions(name, ours, spec);
  if (values['help'] === true) return { name: 'help', text: COMMAND_USAGE[name] ?? MAIN_USAGE };
  if (theirs !== undefined && name !== 'exec') usage(name, 'takes no arguments after "--"');
  return build(name, values, positionals, theirs, env);
}

function build(name: string, values: Values, positionals: string[], theirs: string[] | undefined, env: Readonly<Record<string, string | undefined>>): CliCommand {
  switch (name) {
    case 'agent':
      return { name };
    case 'login': {
      if (values['device-code'] === true && values['pkce'] === true) usage(name, 'takes --device-code or --pkce, not both');
      const flow: SignInFlow | undefined = values['device-code'] === true ? 'device-code' : values['pkce'] === true ? 'pkce' : undefined;
      const command: CliCommand = { name, session: required(name, values, 'session'), openBrowser: values['no-browser'] !== true, force: values['force'] === true };
      return flow === undefined ? command : { ...command, flow };
    }
    case 'logout': {
      const session = optional(values, 'session');
      if ((session === undefined) === (values['all'] !== true)) usage(name, 'needs --session NAME or --all (one of them)');
      return session === undefined ? { name } : { name, session };
    }
    case 'status':
    case 'doctor':
      return { name, json: values['json'] === true };
    case 'accounts': {
      const session = optional(values, 'session');
      const command = { name, filter: positionals.join(' '), json: values['json'] === true, refresh: values['refresh'] === true } as const;
      return session === undefined ? command : { ...command, session };
    }
    case 'credential-process':
      return { name, target: target(name, values, env, 'id-only'), wait: values['no-wait'] !== true };
    case 'export': {
      const format = optional(values, 'format') ?? 'env';
      if (format !== 'env' && format !== 'json') usage(name, `has no format "${format}"; use --format env or --format json`);
      return { name, target: target(name, values, env, 'id-or-name'), format };
    }
    case 'exec': {
      const [command, ...args] = theirs ?? [];
      if (command === undefined || command === '') usage(name, 'needs the command to run after "--", e.g. latchkey exec --profile P -- aws s3 ls');
      return { name, target: target(name, values, env, 'id-or-name'), command, args };
    }
    case 'console': {
      const region = optional(values, 'region');
      if (region !== undefined && !isRegionCode(region)) usage(name, `got region "${region}", which is not an AWS region code such as eu-west-1`);
      const destination = optional(values, 'destination');
      return {
        name,
        target: target(name, values, env, 'id-or-name'),
        print: values['print'] === true,
        ...(region === undefined ? {} : { region }),
        ...(destination === undefined ? {} : { destination }),
      };
    }
    case 'setup-profiles': {
      const session = required(name, values, 'session');
      const region = optional(values, 'region');
      const refresh = values['refresh'] === true;
      if (region === undefined) return { name, session, refresh };
      if (!isRegionCode(region)) usage(name, `got region "${region}", which is not an AWS region code such as eu-west-1`);
      return { name, session, region, refresh };
    }
    default:
      return unknownCommand(name);
  }
}

/** Commands that take bare words: `latchkey accounts prod read` filters by them. */
const TAKES_WORDS: ReadonlySet<string> = new Set(['accounts']);

function parseOptions(name: string, args: string[], spec: OptionSpec): { values: Values; positionals: string[] } {
  const options = { ...spec, ...HELP };
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: TAKES_WORDS.has(name) });
    return { values, positionals };
  } catch (error) {
    const code = systemErrorCode(error) ?? '';
    const quoted = error instanceof Error ? /'([^']+)'/.exec(error.message)?.[1] : undefined;
    const word = quoted?.split(' ')[0] ?? quoted;
    const what = word === undefined ? 'an argument' : `"${word}"`;
    switch (code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
        const flags = Object.keys(options).map((option) => `--${option}`);
        return usage(name, `has no option ${what}${didYouMean(word === undefined ? undefined : closestName(word, flags))}`);
      }
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
        const option = word?.replace(/^--/, '') ?? '';
        if (options[option]?.type === 'string') return usage(name, `--${option} needs a value (--${option} ${VALUE_NAMES[option] ?? 'VALUE'})`);
        return usage(name, `--${option} takes no value (write --${option} alone)`);
      }
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
        return usage(name, `takes no argument ${what}${didYouMean(word === undefined ? undefined : optionFor(name, word, args, spec))}`);
      default:
        return usage(name, 'could not read its arguments');
    }
  }
}

/** What each option's value is called in messages, as in the usage text. */
const VALUE_NAMES: Readonly<Record<string, string>> = {
  session: 'NAME',
  profile: 'P',
  account: 'ID',
  role: 'R',
  format: 'env|json',
  region: 'REGION',
  destination: 'SERVICE|URL',
};

/**
 * What a bare word was probably meant to be: `login corp` means `--session corp`,
 * `export dev` means `--profile dev`, and `exec --profile dev aws` forgot the `--`. Only
 * when that option is not given already, so the hint never asks for it twice.
 */
function optionFor(name: string, word: string, args: readonly string[], spec: OptionSpec): string | undefined {
  const given = (option: string): boolean => args.some((arg) => arg === `--${option}` || arg.startsWith(`--${option}=`));
  if (name === 'exec' && (given('profile') || given('session'))) return `-- ${word}`;
  const option = ['profile', 'session'].find((key) => spec[key] !== undefined && !given(key));
  return option === undefined ? undefined : `--${option} ${word}`;
}

function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
}

/**
 * `--profile P`, or all of `--session S --account ID --role R`, never a mix; with none of
 * them, the profile AWS_PROFILE names, as the AWS CLI v2 and the JS SDK take it. Where
 * `accounts` is 'id-or-name', an --account that is not 12 digits names the account.
 */
function target(name: string, values: Values, env: Readonly<Record<string, string | undefined>>, accounts: 'id-only' | 'id-or-name'): CredentialTarget {
  const profile = optional(values, 'profile');
  const session = optional(values, 'session');
  const accountId = optional(values, 'account');
  const roleName = optional(values, 'role');
  const explicit = [session, accountId, roleName].filter((v) => v !== undefined).length;
  if (profile !== undefined && explicit === 0) return { profile };
  const fromEnv = env['AWS_PROFILE']?.trim();
  if (profile === undefined && explicit === 0 && fromEnv !== undefined && fromEnv !== '') return { profile: fromEnv };
  if (profile === undefined && session !== undefined && accountId !== undefined && roleName !== undefined) {
    if (isAccountId(accountId)) return { session, accountId, roleName };
    if (accounts === 'id-or-name') return { session, accountName: accountId, roleName };
    usage(name, `got account "${accountId}", which is not a 12-digit AWS account id`);
  }
  const account = accounts === 'id-or-name' ? 'ID|NAME' : 'ID';
  return usage(name, `needs --profile P, or --session S --account ${account} --role R (or AWS_PROFILE set)`);
}

function required(name: string, values: Values, key: string): string {
  return optional(values, key) ?? usage(name, `needs --${key} NAME`);
}

function optional(values: Values, key: string): string | undefined {
  const value = values[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// The CLI prefixes every message with "latchkey: ", so a message never starts with the word again.
function usage(name: string, problem: string): never {
  throw new LatchkeyError('usage_error', `${name} ${problem}; run "latchkey ${name} --help" for its options.`);
}

function unknownCommand(name: string): never {
  const hint = didYouMean(closestName(name, Object.keys(OPTIONS)));
  throw new LatchkeyError('usage_error', `There is no command "${name}"${hint}; run "latchkey --help" for the commands.`);
}
