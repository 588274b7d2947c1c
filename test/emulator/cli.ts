// Entry point of `npm run -s emulator`: prints the base URL first, then serves until a signal.
import { parseCliArgs, USAGE, UsageError, type CliCommand } from './cli-args';
import { startEmulator } from './emulator';

async function main(argv: readonly string[]): Promise<number> {
  const command = parseOrExplain(argv);
  if (command === undefined) return 2;
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Listen for signals before the URL goes out: a script may stop us the moment it reads it.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const emulator = await startEmulator(command.options);
  // The first stdout line is the contract scripts wait for.
  process.stdout.write(`${emulator.baseUrl}\n`);
  await stopRequested;
  await emulator.close();
  return 0;
}

function parseOrExplain(argv: readonly string[]): CliCommand | undefined {
  try {
    return parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`emulator: ${error.message}\n${USAGE}\n`);
    return undefined;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
