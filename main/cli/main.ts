import { LATCHKEY_VERSION } from '../core/version';

const USAGE = `Usage: latchkey <command> [options]

Latchkey keeps you signed in to AWS IAM Identity Center and hands credentials to your tools.

Options:
  --version   print the version
  --help      print this help
`;

/** Returns the exit code; only this entry point calls process.exit. */
function run(args: readonly string[]): number {
  const [first] = args;
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${LATCHKEY_VERSION}\n`);
    return 0;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  process.stderr.write(`latchkey: unknown command "${first}". Run "latchkey --help" for the commands.\n`);
  return 2;
}

process.exitCode = run(process.argv.slice(2));
