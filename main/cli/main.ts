import { answerCredentialProcessFast } from './fast-credential-process';
import type * as cliModule from './run-cli';

declare const latchkeyEntryUrl: () => string;

/**
 * The `latchkey` entry point, one small CommonJS file (scripts/build.mjs). The usual
 * `credential_process` call is answered here with node:net and a few small modules; every
 * other call loads the full CLI, `commands.mjs`, from beside this file.
 */
async function main(): Promise<number> {
  if (await answerCredentialProcessFast(process)) return 0;
  // A URL computed at run time, so that esbuild leaves the import alone; the banner
  // defines latchkeyEntryUrl() from __filename.
  const cli = (await import(new URL('./commands.mjs', latchkeyEntryUrl()).href)) as typeof cliModule;
  return cli.runCli(process);
}

// The one place the exit code is set. exitCode rather than exit(), so stdout is flushed
// when it is a pipe (the AWS CLI reads credential_process output through one).
void main().then((code) => {
  process.exitCode = code;
});
