import { parseArgs } from 'node:util';
import type { EmulatorOptions } from './emulator';

export const USAGE = `Usage: npm run -s emulator -- [options]
  --port N              port on 127.0.0.1 (default 0: a free port)
  --auto-approve        approve every device code and authorization request at once
  --token-ttl S         access token lifetime in seconds (default 3600; 28800 without refresh)
  --credentials-ttl S   role credentials lifetime in seconds (default 3600)
  --interval S          device-code poll interval in seconds (default 1)
  --device-code-ttl S   device code lifetime in seconds (default 600)
  --seed X              make codes, tokens and ids reproducible
  --help                show this help`;

const FLAGS = {
  port: { type: 'string' },
  'auto-approve': { type: 'boolean' },
  'token-ttl': { type: 'string' },
  'credentials-ttl': { type: 'string' },
  interval: { type: 'string' },
  'device-code-ttl': { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean' },
} as const;

export class UsageError extends Error {}

export type CliCommand = { kind: 'help' } | { kind: 'run'; options: EmulatorOptions };

/** Reads the emulator's flags; throws UsageError with one clear sentence. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const values = readFlags(argv);
  if (values.help === true) return { kind: 'help' };
  const options: EmulatorOptions = {
    port: integerFlag('--port', values.port, 0, 65535),
    autoApprove: values['auto-approve'] === true,
    tokenTtlSeconds: integerFlag('--token-ttl', values['token-ttl'], 1),
    credentialsTtlSeconds: integerFlag('--credentials-ttl', values['credentials-ttl'], 1),
    intervalSeconds: integerFlag('--interval', values.interval, 0),
    deviceCodeTtlSeconds: integerFlag('--device-code-ttl', values['device-code-ttl'], 1),
  };
  if (values.seed !== undefined) options.seed = values.seed;
  return { kind: 'run', options };
}

function readFlags(argv: readonly string[]): ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'] {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: FLAGS }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function integerFlag(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError(`${flag} needs a whole number from ${min} to ${max}, not "${value}".`);
  }
  return number;
}
